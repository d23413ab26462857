// modprobe on a real sshd node: the boot files for real in the node's private /etc (an overlay),
// the kernel side through the fleet's fake modprobe and lsmod (sandbox/fleet/fake-modprobe.sh),
// since this machine's kernel has no loadable modules. Inside a Proxmox container (a real
// PctConnection), modprobe and system-wide sysctls are refused with where to do them instead.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PctConnection } from '../../engine/connection/pct.js';
import { modprobe } from '../../modules/host/modprobe.js';
import { parseModprobeProbe } from '../../modules/host/modprobe.js';
import { sysctl } from '../../modules/host/sysctl.js';
import { readFakeModprobeLog, readFakeModules } from '../../sandbox/fleet/index.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost } from './host-helpers.js';

planFixtures(modprobe, path.join(import.meta.dirname, 'modprobe'));

describe('the probe’s output', () => {
  it('reads lsmod’s names, the builtins and each file with its mode', () => {
    const s = parseModprobeProbe(
      [
        '@loaded',
        'br_netfilter',
        'overlay',
        '@builtin',
        'kernel/net/ipv4/ip_vs.ko',
        `@file 644 /etc/modules-load.d/k3s.conf`,
        Buffer.from('overlay\nbr_netfilter\n').toString('base64'),
        `@file 600 /etc/modprobe.d/ip vs.conf`,
        Buffer.from('options ip_vs conn_tab_bits=12\n').toString('base64'),
        '',
      ].join('\n'),
    );
    expect(s).toEqual({
      loaded: ['br_netfilter', 'overlay'],
      builtin: ['kernel/net/ipv4/ip_vs.ko'],
      modulesLoad: [{ path: '/etc/modules-load.d/k3s.conf', mode: '0644', text: 'overlay\nbr_netfilter\n' }],
      modprobeD: [{ path: '/etc/modprobe.d/ip vs.conf', mode: '0600', text: 'options ip_vs conn_tab_bits=12\n' }],
    });
  });
});

describe('modprobe over real sshd, with the fleet’s fake kernel', () => {
  const h = fleetHost('modprobe-node');
  const loaded = () => readFakeModules(h.t.fleet.stateDir, 'modprobe-node');
  const cat = async (p: string) => (await h.connection.exec(['cat', p])).stdout;
  const run = (args: unknown, check = false) => runModule(modprobe, args, { connection: h.connection }, { check });

  it('check mode loads and writes nothing; the run does both; the second run is ok', async () => {
    const args = { name: 'br_netfilter', persistent: 'present' };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'load kernel module br_netfilter',
      'load br_netfilter at boot (/etc/modules-load.d/br_netfilter.conf)',
    ]);
    expect(await loaded()).toEqual([]);
    expect((await h.connection.exec(['test', '-e', '/etc/modules-load.d/br_netfilter.conf'])).rc).toBe(1);
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data).toEqual({ name: 'br_netfilter', params: '', state: 'present' });
    expect(await loaded()).toEqual(['br_netfilter']);
    expect(await cat('/etc/modules-load.d/br_netfilter.conf')).toBe('br_netfilter\n');
    expect((await run(args)).status).toBe('ok');
  });

  it('params go to modprobe and to modprobe.d; absent unloads and comments the boot lines out', async () => {
    const r = await run({ name: 'ip_vs', params: 'conn_tab_bits=12', persistent: 'present' });
    expect(r.changes).toEqual([
      'load kernel module ip_vs (conn_tab_bits=12)',
      'load ip_vs at boot (/etc/modules-load.d/ip_vs.conf)',
      'options of ip_vs at boot: conn_tab_bits=12 (/etc/modprobe.d/ip_vs.conf)',
    ]);
    expect((await readFakeModprobeLog(h.t.fleet.stateDir, 'modprobe-node')).at(-1)).toMatch(
      / load ip_vs conn_tab_bits=12$/,
    );
    expect(await cat('/etc/modprobe.d/ip_vs.conf')).toBe('options ip_vs conn_tab_bits=12\n');
    const gone = await run({ name: 'ip_vs', state: 'absent', persistent: 'absent' });
    expect(gone.changes).toEqual([
      'unload kernel module ip_vs',
      'comment out ip_vs in /etc/modules-load.d/ip_vs.conf',
      'comment out options of ip_vs in /etc/modprobe.d/ip_vs.conf',
    ]);
    expect(await loaded()).toEqual(['br_netfilter']);
    expect(await cat('/etc/modules-load.d/ip_vs.conf')).toBe('#ip_vs\n');
    expect((await run({ name: 'ip_vs', state: 'absent', persistent: 'absent' })).status).toBe('ok');
  });

  it('a module the kernel does not know fails with modprobe’s words', async () => {
    const r = await run({ name: 'no_such_mod' });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^modprobe: FATAL: Module no_such_mod not found in directory \/lib\/modules\//);
  });

  it('inside a Proxmox container: refused, naming the Proxmox host and the container; nothing runs', async () => {
    const ct = new PctConnection({ kind: 'pct', host: 'ct1', pctHost: 'pve1', pctVmid: 101 }, h.connection);
    const before = await readFakeModprobeLog(h.t.fleet.stateDir, 'modprobe-node');
    const r = await runModule(modprobe, { name: 'overlay' }, { connection: ct, host: 'ct1' });
    expect(r.status).toBe('failed');
    expect(r.msg).toContain('do this on Proxmox host pve1 for container 101');
    const s = await runModule(sysctl, { name: 'vm.swappiness', value: 10 }, { connection: ct, host: 'ct1' });
    expect(s.status).toBe('failed');
    expect(s.msg).toMatch(
      /^sysctl vm.swappiness inside container 101 \(ct1\): .* do this on Proxmox host pve1 for container 101/,
    );
    expect(await readFakeModprobeLog(h.t.fleet.stateDir, 'modprobe-node')).toEqual(before);
  });
});
