// The pct connection and pct_exec on the real fleet: a Proxmox node (sshd) whose fake `pct`
// enters another fleet node's mount namespace, as lxc-attach enters a container.
import { createHash } from 'node:crypto';
import { statSync, watch } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PctConnection } from '../../engine/connection/pct.js';
import type { Connection } from '../../engine/connection/types.js';
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

/** The Proxmox connection, recording every command line sent to the Proxmox host. */
function recording(): { conn: Connection; argvs: string[] } {
  const pve = f.conn('pve');
  const argvs: string[] = [];
  const conn: Connection = {
    host: pve.host,
    kind: pve.kind,
    exec: (cmd, o) => (argvs.push(typeof cmd === 'string' ? cmd : cmd.join(' ')), pve.exec(cmd, o)),
    put: (d, dest, o) => pve.put(d, dest, o),
    get: (src, o) => pve.get(src, o),
    close: async () => undefined,
  };
  return { conn, argvs };
}

const SECRET = 'hunter2 "quoted" $(id) \\n and\nnewline\n';

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

  it('keeps the temp file of a 0600 file private while it is written', async () => {
    const dir = inCt('etc/rancher');
    const modes: number[] = [];
    const w = watch(dir, (_e, name) => {
      if (!name || !String(name).includes('herdbook')) return;
      try {
        modes.push(statSync(path.join(dir, String(name))).mode & 0o777);
      } catch {
        /* already renamed */
      }
    });
    const data = Buffer.alloc(8 * 1024 * 1024, 'k');
    try {
      await ct.put(data, '/etc/rancher/client.key', { mode: '0600' });
      await new Promise((r) => setTimeout(r, 50));
    } finally {
      w.close();
    }
    expect(modes.length).toBeGreaterThan(0);
    expect(modes.filter((m) => m & 0o077)).toEqual([]);
    expect(statSync(inCt('etc/rancher/client.key')).mode & 0o777).toBe(0o600);
    expect((await readFile(inCt('etc/rancher/client.key'))).equals(data)).toBe(true);
  });

  it('passes env values on stdin, not on the Proxmox host\'s command line, and keeps the command\'s stdin', async () => {
    const rec = recording();
    const c = new PctConnection({ kind: 'pct', host: 'ct', pctHost: 'pve', pctVmid: 101 }, rec.conn);
    const r = await c.exec('printf "%s|" "$TOKEN"; cat', { env: { TOKEN: SECRET }, stdin: 'own input\n' });
    expect(r).toMatchObject({ rc: 0, stdout: `${SECRET}|own input\n` });
    expect(rec.argvs.length).toBe(1);
    expect(rec.argvs[0]).not.toContain('hunter2');
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

  it('env: the command sees the values; plans, messages and the Proxmox command line show only the names', async () => {
    const rec = recording();
    const at = { connection: rec.conn, host: 'pve' };
    const args = { vmid: 101, command: ['/bin/sh', '-c', 'printf %s "$PASSWORD" | md5sum'], env: { PASSWORD: SECRET } };
    const check = await runModule(pctExec, args, at, { check: true });
    expect(check.status).toBe('unknown');
    expect(check.msg).toBe("check mode cannot predict this: run in container 101: /bin/sh -c 'printf %s \"$PASSWORD\" | md5sum' (env: PASSWORD)");
    const r = await runModule(pctExec, args, at);
    expect(r.status, r.msg).toBe('changed');
    expect(r.data.stdout).toBe(`${createHash('md5').update(SECRET).digest('hex')}  -`);
    expect(r.changes).toEqual(["run in container 101: /bin/sh -c 'printf %s \"$PASSWORD\" | md5sum' (env: PASSWORD)"]);
    for (const text of [JSON.stringify(check), JSON.stringify(r), ...rec.argvs]) expect(text).not.toContain('hunter2');
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
