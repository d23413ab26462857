// The pct connection and pct_exec on the real fleet: a Proxmox node (sshd) whose fake `pct`
// enters another fleet node's mount namespace, as lxc-attach enters a container.
import { createHash } from 'node:crypto';
import { statSync, watch } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PctConnection } from '../../engine/connection/pct.js';
import { createSshConnection } from '../../engine/connection/ssh/index.js';
import { pctExec } from '../../modules/proxmox/pct_exec.js';
import { registerContainer, setContainerStatus } from '../../sandbox/k3s-fake/index.js';
import type { RunEvent } from '../../engine/report/events.js';
import { herdbook, type Run } from '../e2e/helpers.js';
import { fleetFor } from '../helpers/fleet.js';
import { recording as recordingOf, unreachable } from './pct-recording.js';
import { tempTree, writeTree } from '../helpers/tmp.js';
import { runModule } from '../helpers/module-harness.js';

let f: Awaited<ReturnType<typeof fleetFor>>;
let ct: PctConnection;
const inCt = (p: string) => path.join(f.fleet.node('ct').root, p);

beforeAll(async () => {
  f = await fleetFor([{ name: 'pve' }, { name: 'ct' }]);
  await registerContainer(f.stateDir, 'pve', 101, 'ct', f.fleet.node('ct').pid);
  ct = new PctConnection({ kind: 'pct', host: 'ct', pctHost: 'pve', pctVmid: 101 }, f.conn('pve'));
}, 120_000);

// Without agents: these tests are about pct exec itself (each command one pct exec line).
const recording = () => recordingOf(f.conn('pve'), { agents: false });

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

  it("passes env values on stdin, not on the Proxmox host's command line, and keeps the command's stdin", async () => {
    const rec = recording();
    const c = new PctConnection({ kind: 'pct', host: 'ct', pctHost: 'pve', pctVmid: 101 }, rec.conn);
    const r = await c.exec('printf "%s|" "$TOKEN"; cat', { env: { TOKEN: SECRET }, stdin: 'own input\n' });
    expect(r).toMatchObject({ rc: 0, stdout: `${SECRET}|own input\n` });
    expect(rec.execs.length).toBe(1);
    expect(rec.execs[0]).not.toContain('hunter2');
  });

  it('an unknown or stopped container is unreachable: the message names the container, its vmid and its state', async () => {
    const ghost = new PctConnection({ kind: 'pct', host: 'ghost', pctHost: 'pve', pctVmid: 199 }, f.conn('pve'));
    const e = await unreachable(ghost.exec(['true']));
    expect(e.reason).toBe('container');
    expect(e.message).toBe(
      "container 199 (ghost) does not exist on pve: Configuration file 'nodes/pve/lxc/199.conf' does not exist (check pct_id; a container on another cluster node needs that node as pct_host)",
    );
    await setContainerStatus(f.stateDir, 'pve', 101, 'stopped');
    try {
      for (const attempt of [
        () => ct.exec(['true']),
        () => ct.exec('exit 255'),
        () => ct.put('x', '/etc/rancher/x'),
        () => ct.get('/etc/rancher/where'),
      ]) {
        expect((await unreachable(attempt())).message).toBe(
          'container 101 (ct) on pve is stopped: start it with `pct start 101`',
        );
      }
    } finally {
      await setContainerStatus(f.stateDir, 'pve', 101, 'running');
    }
  });

  it("a command that exits 255, even printing pct's own words, is the command's result; the marker never shows", async () => {
    const forged =
      'echo "container \'101\' not running!" >&2; echo "Configuration file \'nodes/pve/lxc/101.conf\' does not exist" >&2; exit 255';
    const streamed: string[] = [];
    const r = await ct.exec(forged, { onStderr: (b) => streamed.push(b.toString()) });
    const said = "container '101' not running!\nConfiguration file 'nodes/pve/lxc/101.conf' does not exist\n";
    expect(r).toEqual({ rc: 255, stdout: '', stderr: said });
    expect(streamed.join('')).toBe(said);
    expect(await ct.exec(['sh', '-c', 'exit 255'])).toEqual({ rc: 255, stdout: '', stderr: '' });
    const missing = await ct.exec(['no-such-command-hb']);
    expect(missing.rc).toBe(127);
    expect(missing.stderr).not.toContain('herdbook-pct');
    // get() keeps no stderr in the result (maxBuffer 0): its error still has the command's words only.
    await expect(ct.get('/etc/rancher/no-such-file')).rejects.toThrow(
      /^reading \/etc\/rancher\/no-such-file in container 101: cat: \/etc\/rancher\/no-such-file: No such file or directory$/,
    );
  });

  it('pct missing on the node, or sudo refusing it, makes the container unreachable with the reason', async () => {
    const pct = path.join(f.fleet.node('pve').root, 'usr/local/bin/pct');
    await rename(pct, `${pct}.away`);
    try {
      const e = await unreachable(ct.exec(['true']));
      expect(e.reason).toBe('config');
      expect(e.message).toMatch(
        // A login shell's words, or setsid's (the persistent executor execs the command itself).
        /^cannot run pct on pve for container 101 \(ct\): .*(pct: (command )?not found|failed to execute pct: No such file or directory); pct_host must be a Proxmox VE node$/,
      );
    } finally {
      await rename(`${pct}.away`, pct);
    }
    // A login user whose sudo asks for a password: `sudo -n pct` is refused.
    const asUser = createSshConnection({ ...f.fleet.node('pve').settings, user: f.fleet.users.passwd });
    try {
      const viaSudo = new PctConnection(
        { kind: 'pct', host: 'ct', pctHost: 'pve', pctVmid: 101, pctSudo: true },
        asUser,
      );
      const e = await unreachable(viaSudo.exec(['true']));
      expect(e.reason).toBe('config');
      expect(e.message).toBe(
        'not permitted to run pct on pve for container 101 (ct): sudo: a password is required; pct needs root there: log in as root, or allow the login user sudo without a password for /usr/sbin/pct',
      );
    } finally {
      await asUser.close();
    }
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
    const started = await runModule(
      pctExec,
      { vmid: 101, command: ['cat', '/etc/rancher/where'], start_if_stopped: true },
      on,
    );
    expect(started.status, started.msg).toBe('changed');
    expect(started.data).toMatchObject({ rc: 0, stdout: 'inside', started: true });
  });

  it('env: the command sees the values; plans, messages and the Proxmox command line show only the names', async () => {
    const rec = recording();
    const at = { connection: rec.conn, host: 'pve' };
    const args = { vmid: 101, command: ['/bin/sh', '-c', 'printf %s "$PASSWORD" | md5sum'], env: { PASSWORD: SECRET } };
    const check = await runModule(pctExec, args, at, { check: true });
    expect(check.status).toBe('unknown');
    expect(check.msg).toBe(
      'check mode cannot predict this: run in container 101: /bin/sh -c \'printf %s "$PASSWORD" | md5sum\' (env: PASSWORD)',
    );
    const r = await runModule(pctExec, args, at);
    expect(r.status, r.msg).toBe('changed');
    expect(r.data.stdout).toBe(`${createHash('md5').update(SECRET).digest('hex')}  -`);
    expect(r.changes).toEqual(['run in container 101: /bin/sh -c \'printf %s "$PASSWORD" | md5sum\' (env: PASSWORD)']);
    for (const text of [JSON.stringify(check), JSON.stringify(r), ...rec.execs]) expect(text).not.toContain('hunter2');
  });

  it("an unknown container fails with pct's message", async () => {
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

    const lineArgs = {
      path: '/etc/systemd/system/demo.service',
      regexp: '^Description=',
      line: 'Description=demo through pct',
    };
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

// Through the CLI, as an operator runs it: container 102 is stopped (pct says so), 101 runs.
describe('a playbook on containers through pct', () => {
  const dir = tempTree({});
  const facts = (extra: string) =>
    `- name: Look\n  hosts: cts\n  serial: 2\n${extra}  tasks:\n    - name: Every node answers\n      k3s_facts:\n    - name: Runs a command\n      command: test -d /etc/rancher\n` +
    `- name: Later\n  hosts: cts\n  tasks:\n    - name: Still here\n      command: 'true'\n`;
  const status = (r: Run, task: string) =>
    Object.fromEntries(
      r.events.flatMap((e) => (e.type === 'task_result' && e.task === task ? [[e.host, e.status]] : [])),
    );
  const recapOf = (r: Run) => r.events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap')!;
  const run = (playbook: string, ...args: string[]) =>
    herdbook(['run', path.join(dir, playbook), '-i', path.join(dir, 'hosts.ini'), '--output', 'json', ...args]);

  beforeAll(async () => {
    await registerContainer(f.stateDir, 'pve', 102, 'ct', f.fleet.node('ct').pid, { status: 'stopped' });
    const pve = f.fleet.node('pve');
    writeTree(dir, {
      'hosts.ini': [
        '[proxmox]',
        `pve ansible_host=127.0.0.1 ansible_port=${pve.port} ansible_user=root ansible_ssh_private_key_file=${f.fleet.clientKeyPath} known_hosts_file=${f.fleet.knownHostsPath}`,
        '[cts]',
        'ct-a pct_id=101',
        'ct-b pct_id=102',
        '[cts:vars]',
        'ansible_connection=pct',
        'pct_host=pve',
        '',
      ].join('\n'),
      'facts.yaml': facts('  max_fail_percentage: 50\n'),
      'strict.yaml': facts('  max_fail_percentage: 49\n'),
      'rc255.yaml': `- name: Exit 255\n  hosts: ct-a\n  tasks:\n    - name: Says what pct says\n      shell: echo "container '101' not running!" >&2; exit 255\n`,
    });
  });

  it('the stopped container is unreachable with its state; the running one goes on; exit 3', async () => {
    for (const check of [[], ['--check']]) {
      const r = await run('facts.yaml', ...check);
      expect(r.code, r.stderr).toBe(3);
      expect(status(r, 'Every node answers')).toEqual({ 'ct-a': 'ok', 'ct-b': 'unreachable' });
      const msg = r.events.find((e) => e.type === 'task_result' && e.host === 'ct-b')!;
      expect(msg).toMatchObject({ msg: 'container 102 (ct-b) on pve is stopped: start it with `pct start 102`' });
      // The unreachable host leaves the run: later tasks and plays run without it.
      expect(status(r, 'Runs a command')).toEqual({ 'ct-a': check.length ? 'unknown' : 'changed' });
      expect(status(r, 'Still here')).toEqual({ 'ct-a': check.length ? 'unknown' : 'changed' });
      expect(recapOf(r).hosts['ct-b']).toMatchObject({ ok: 0, unreachable: 1, failed: 0 });
      expect(recapOf(r).stopped_reason).toBeUndefined();
    }
  });

  it('counts toward max_fail_percentage: 1 of 2 is at 50% (goes on, above) but over 49%: the run stops there', async () => {
    const r = await run('strict.yaml', '--check');
    expect(r.code, r.stderr).toBe(3);
    expect(recapOf(r).stopped_reason).toBe(
      'batch 1/1 (ct-a, ct-b): 1 of 2 hosts failed or unreachable (ct-b), over max_fail_percentage 49; no later batch or play was started',
    );
    expect(status(r, 'Still here')).toEqual({});
  });

  it("a command that exits 255 with pct's words is a failed task, not an unreachable host", async () => {
    const r = await run('rc255.yaml');
    expect(r.code, r.stderr).toBe(2);
    const res = r.events.find((e) => e.type === 'task_result' && e.host === 'ct-a')!;
    expect(res).toMatchObject({ status: 'failed' });
    expect(recapOf(r).hosts['ct-a']).toMatchObject({ failed: 1, unreachable: 0 });
  });
});
