// The pct connection and pct_exec on the real fleet: a Proxmox node (sshd) whose fake `pct`
// enters another fleet node's mount namespace, as lxc-attach enters a container.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PctConnection } from '../../engine/connection/pct.js';
import { UnreachableError } from '../../engine/errors.js';
import { pctExec } from '../../modules/proxmox/pct_exec.js';
import { registerContainer, setContainerStatus } from '../../sandbox/k3s-fake/index.js';
import { fleetFor } from '../helpers/fleet.js';
import { runModule } from '../helpers/module-harness.js';

let f: Awaited<ReturnType<typeof fleetFor>>;
let ct: PctConnection;
const inCt = (p: string) => path.join(f.fleet.node('ct').root, p);

beforeAll(async () => {
  f = await fleetFor([{ name: 'pve' }, { name: 'ct' }]);
  await registerContainer(f.stateDir, 'pve', 101, 'ct', f.fleet.node('ct').pid);
  ct = new PctConnection({ kind: 'pct', host: 'ct', pctHost: 'pve', pctVmid: 101 }, f.conn('pve'));
}, 120_000);

describe('pct connection', () => {
  it('runs commands inside the container, with env, cwd and exit codes', async () => {
    await writeFile(inCt('etc/rancher/where'), 'inside\n');
    const r = await ct.exec(['cat', '/etc/rancher/where']);
    expect(r).toMatchObject({ rc: 0, stdout: 'inside\n' });
    const e = await ct.exec('echo "$A" $(pwd); exit 3', { env: { A: 'a b;$(x)' }, cwd: '/etc/rancher' });
    expect(e).toMatchObject({ rc: 3, stdout: 'a b;$(x) /etc/rancher\n' });
    expect((await f.conn('pve').exec(['cat', '/etc/rancher/where'])).rc).not.toBe(0);
  });

  it('writes files atomically with mode and reads them back byte for byte', async () => {
    const data = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    await ct.put(data, '/etc/rancher/blob.bin', { mode: '0600' });
    expect((await readFile(inCt('etc/rancher/blob.bin'))).equals(data)).toBe(true);
    expect((await ct.exec(['stat', '-c', '%a', '/etc/rancher/blob.bin'])).stdout.trim()).toBe('600');
    expect((await ct.get('/etc/rancher/blob.bin')).equals(data)).toBe(true);
  });

  it('an unknown or stopped container is unreachable with pct\'s own message', async () => {
    const ghost = new PctConnection({ kind: 'pct', host: 'ghost', pctHost: 'pve', pctVmid: 199 }, f.conn('pve'));
    await expect(ghost.exec(['true'])).rejects.toThrow(UnreachableError);
    await expect(ghost.exec(['true'])).rejects.toThrow(/container 199 on pve: Configuration file 'nodes\/pve\/lxc\/199\.conf' does not exist/);
    await setContainerStatus(f.stateDir, 'pve', 101, 'stopped');
    await expect(ct.exec(['true'])).rejects.toThrow(/container '101' not running!/);
    await setContainerStatus(f.stateDir, 'pve', 101, 'running');
  });
});

describe('pct_exec', () => {
  const on = { connection: undefined as never, host: 'pve' };
  beforeAll(() => {
    on.connection = f.conn('pve') as never;
  });

  it('runs argv in the container; check mode runs nothing; creates makes it idempotent', async () => {
    const args = { vmid: 101, command: ['touch', '/etc/rancher/made'], creates: '/etc/rancher/made' };
    const check = await runModule(pctExec, args, on, { check: true });
    expect(check.status).toBe('changed');
    await expect(readFile(inCt('etc/rancher/made'))).rejects.toThrow();
    expect((await runModule(pctExec, args, on)).status).toBe('changed');
    await expect(readFile(inCt('etc/rancher/made'))).resolves.toBeDefined();
    const again = await runModule(pctExec, args, on);
    expect(again.status).toBe('ok');
    expect(again.msg).toBe('skipped, since /etc/rancher/made exists in container 101');
  });

  it('refuses a stopped container, or starts it with start_if_stopped', async () => {
    await setContainerStatus(f.stateDir, 'pve', 101, 'stopped');
    const refused = await runModule(pctExec, { vmid: 101, command: 'true' }, on);
    expect(refused.status).toBe('failed');
    expect(refused.msg).toBe("container '101' not running! (set start_if_stopped: true to start it first)");
    const started = await runModule(pctExec, { vmid: 101, command: ['cat', '/etc/rancher/where'], start_if_stopped: true }, on);
    expect(started.status, started.msg).toBe('changed');
    expect(started.data).toMatchObject({ rc: 0, stdout: 'inside', started: true });
  });

  it('an unknown container fails with pct\'s message', async () => {
    const r = await runModule(pctExec, { vmid: 150, command: 'true' }, on);
    expect(r.status).toBe('failed');
    expect(r.msg).toBe("container 150: Configuration file 'nodes/pve/lxc/150.conf' does not exist");
  });
});

describe('modules through the pct connection', () => {
  it('copy, lineinfile and systemd run inside the container: check mode writes nothing, a second run changes nothing', async () => {
    const { copy } = await import('../../modules/host/copy.js');
    const { lineinfile } = await import('../../modules/host/lineinfile.js');
    const { systemd } = await import('../../modules/host/systemd.js');
    const on = { connection: ct, host: 'ct' };
    const unit = '[Unit]\nDescription=demo\n[Service]\nExecStart=/bin/true\n';
    const copyArgs = { dest: '/etc/systemd/system/demo.service', content: unit, mode: '0644' };
    expect((await runModule(copy, copyArgs, on, { check: true })).status).toBe('changed');
    await expect(readFile(inCt('etc/systemd/system/demo.service'))).rejects.toThrow();
    expect((await runModule(copy, copyArgs, on)).status).toBe('changed');
    expect(await readFile(inCt('etc/systemd/system/demo.service'), 'utf8')).toBe(unit);
    expect((await runModule(copy, copyArgs, on)).status).toBe('ok');

    const lineArgs = { path: '/etc/systemd/system/demo.service', regexp: '^Description=', line: 'Description=demo through pct' };
    expect((await runModule(lineinfile, lineArgs, on)).status).toBe('changed');
    expect(await readFile(inCt('etc/systemd/system/demo.service'), 'utf8')).toContain('Description=demo through pct\n');
    expect((await runModule(lineinfile, lineArgs, on)).status).toBe('ok');

    const svcArgs = { name: 'demo', state: 'started', daemon_reload: true };
    expect((await runModule(systemd, svcArgs, on, { check: true })).status).toBe('changed');
    expect((await ct.exec(['systemctl', 'is-active', 'demo'])).stdout.trim()).not.toBe('active');
    const started = await runModule(systemd, svcArgs, on);
    expect(started.status, started.msg).toBe('changed');
    expect((await ct.exec(['systemctl', 'is-active', 'demo'])).stdout.trim()).toBe('active');
    expect((await f.conn('pve').exec(['systemctl', 'is-active', 'demo'])).stdout.trim()).not.toBe('active');
    expect((await runModule(systemd, svcArgs, on)).status).toBe('ok');
  });
});
