// sysctl on a real sshd node: sysctl_file for real (a file under the node's private
// /etc/rancher), the kernel side through the fleet's fake sysctl (sandbox/fleet/fake-sysctl.sh,
// first on the node's PATH), so this machine's kernel settings never change.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sysctl } from '../../modules/host/sysctl.js';
import { readFakeSysctl, readFakeSysctlLog } from '../../sandbox/fleet/index.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost } from './host-helpers.js';

planFixtures(sysctl, path.join(import.meta.dirname, 'sysctl'));

const realForward = () => readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8');

describe('sysctl over real sshd, with the fleet’s fake kernel', () => {
  const h = fleetHost('sysctl-node');
  const file = '/etc/rancher/sysctl.d/90-k3s.conf';
  const fake = (key: string) => readFakeSysctl(h.t.fleet.stateDir, 'sysctl-node', key);

  it('check mode writes nothing; the run writes the file and reloads it; the second run is ok', async () => {
    const before = realForward();
    mkdirSync(path.dirname(h.local(file)), { recursive: true });
    const args = { name: 'net.ipv4.ip_forward', value: 1, sysctl_file: file };
    const check = await runModule(sysctl, args, { connection: h.connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`net.ipv4.ip_forward=1 in ${file}`, `reload ${file} (sysctl -p)`]);
    expect(check.diff).toEqual([{ path: file, before: '', after: 'net.ipv4.ip_forward=1\n' }]);
    expect(existsSync(h.local(file))).toBe(false);
    expect(await fake('net.ipv4.ip_forward')).toBe('0');
    const r = await runModule(sysctl, args, { connection: h.connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(h.local(file), 'utf8')).toBe('net.ipv4.ip_forward=1\n');
    expect(await fake('net.ipv4.ip_forward')).toBe('1');
    expect((await runModule(sysctl, args, { connection: h.connection })).status).toBe('ok');
    // The kernel drifted: the file is right, so only the reload runs (Ansible's rule with reload on).
    writeFileSync(h.local('/run/fake-sysctl/net.ipv4.ip_forward'), '0\n');
    const drift = await runModule(sysctl, args, { connection: h.connection });
    expect(drift.changes).toEqual([`reload ${file} (sysctl -p)`]);
    expect(await fake('net.ipv4.ip_forward')).toBe('1');
    expect(realForward()).toBe(before);
  });

  it('sysctl_set sets the kernel with reload off; absent removes the line; the rest of the file is normalized', async () => {
    writeFileSync(h.local(file), '# k3s\nvm.swappiness = 10\nnet.ipv4.ip_forward=1\n');
    const set = await runModule(
      sysctl,
      { name: 'fs.inotify.max_user_instances', value: '8192', sysctl_set: true, reload: false, sysctl_file: file },
      { connection: h.connection },
    );
    expect(set.status).toBe('changed');
    expect(await fake('fs.inotify.max_user_instances')).toBe('8192');
    expect(readFileSync(h.local(file), 'utf8')).toBe(
      '# k3s\nvm.swappiness=10\nnet.ipv4.ip_forward=1\nfs.inotify.max_user_instances=8192\n',
    );
    const log = await readFakeSysctlLog(h.t.fleet.stateDir, 'sysctl-node');
    expect(log.filter((l) => l.includes('fs.inotify.max_user_instances'))).toHaveLength(1);
    const gone = await runModule(
      sysctl,
      { name: 'vm.swappiness', state: 'absent', sysctl_file: file },
      {
        connection: h.connection,
      },
    );
    expect(gone.status).toBe('changed');
    expect(readFileSync(h.local(file), 'utf8')).not.toContain('swappiness');
  });

  it('an unknown key fails the reload with sysctl’s words, unless ignoreerrors', async () => {
    const other = '/etc/rancher/sysctl.d/91-unknown.conf';
    const args = { name: 'net.no.such.key', value: '1', sysctl_file: other };
    const bad = await runModule(sysctl, args, { connection: h.connection });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toMatch(/^Failed to reload sysctl: sysctl: cannot stat \/proc\/sys\/net\/no\/such\/key/);
    writeFileSync(h.local(other), '');
    const ok = await runModule(sysctl, { ...args, ignoreerrors: true }, { connection: h.connection });
    expect(ok.status).toBe('changed');
  });
});
