import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { reboot } from '../../modules/host/reboot.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(reboot, path.join(import.meta.dirname, 'reboot'));

describe('reboot on the local connection', () => {
  const tmp = localTemp('reboot');
  it('refuses to reboot the controller, in check mode and for real, running nothing', async () => {
    for (const check of [true, false]) {
      const r = await runModule(reboot, {}, { connection: tmp.connection }, { check });
      expect(r.status).toBe('failed');
      expect(r.msg).toMatch(/^refusing to reboot the controller itself/);
    }
  });
});

// The fleet shares this machine's kernel: every test here names a reboot_command that only
// pretends (a new fake boot id, and the node's sshd sessions killed like a going-down host).
describe('reboot over real sshd (simulated)', () => {
  const h = fleetHost('reboot-node');
  const bootId = '/run/fake-boot-id';
  const common = { boot_time_command: ['cat', bootId], connect_timeout: 10 };

  it('check mode says it would reboot and runs nothing', async () => {
    writeFileSync(h.local(bootId), 'boot-1\n');
    const r = await runModule(
      reboot,
      { ...common, reboot_command: ['sh', '-c', `echo boot-2 > ${bootId}`] },
      { connection: h.connection },
      { check: true },
    );
    expect(r.status).toBe('changed');
    expect(r.changes?.[0]).toMatch(/^reboot \(sh -c .*\) and wait up to 600s/);
    expect(readFileSync(h.local(bootId), 'utf8')).toBe('boot-1\n');
  });

  it('survives the connection dropping under the reboot command and waits for the new boot', async () => {
    writeFileSync(h.local(bootId), 'boot-1\n');
    await h.connection.exec(['true']);
    const sessions = await h.t.fleet.sessionPids('reboot-node');
    expect(sessions.length).toBeGreaterThan(0);
    const command = ['sh', '-c', `echo boot-2 > ${bootId}; kill -9 "$@"; sleep 5`, 'sh', ...sessions.map(String)];
    const r = await runModule(
      reboot,
      { ...common, reboot_command: command, reboot_timeout: 120, test_command: 'test -s /run/fake-boot-id' },
      { connection: h.connection },
    );
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({ rebooted: true });
    expect(readFileSync(h.local(bootId), 'utf8')).toBe('boot-2\n');
    const now = await h.t.fleet.sessionPids('reboot-node');
    expect(now.some((p) => sessions.includes(p))).toBe(false);
  });

  it('fails when the host never comes back with a new boot id', async () => {
    writeFileSync(h.local(bootId), 'boot-3\n');
    const r = await runModule(
      reboot,
      { ...common, reboot_command: ['true'], reboot_timeout: 0.5 },
      { connection: h.connection },
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toBe(
      'the host did not come back within reboot_timeout (0.5s); last seen: same boot id: not rebooted yet',
    );
    expect(r.data).toMatchObject({ rebooted: false });
  });

  it('fails when the reboot command itself fails', async () => {
    const r = await runModule(
      reboot,
      { ...common, reboot_command: ['sh', '-c', 'echo not allowed >&2; exit 3'] },
      { connection: h.connection },
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('reboot command failed (exit 3): not allowed');
  });
});
