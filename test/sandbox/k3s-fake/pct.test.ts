import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRoot } from '../../../sandbox/fleet/layout.js';
import { k3sNodePaths, markLxcWithoutKmsg, readStarts } from '../../../sandbox/k3s-fake/node-files.js';
import { startNodeHolder, type NodeHolder } from '../../../sandbox/k3s-fake/node-root.js';
import { registerContainer } from '../../../sandbox/k3s-fake/pct.js';
import { preinstallK3s } from '../../../sandbox/k3s-fake/preinstall.js';
import { makeNode, output, testStateDir, type TestNode } from './helpers.js';

const state = testStateDir();
let pve: TestNode;
let ct: TestNode;
let holder: NodeHolder;
const holders: NodeHolder[] = [];

beforeAll(async () => {
  pve = await makeNode(state, 'pve1');
  ct = await makeNode(state, 'ct101');
  await writeFile(`${ct.root}/etc/rancher/whoami`, 'container ct101\n');
  await writeFile(`${pve.root}/etc/rancher/whoami`, 'proxmox host pve1\n');
  holder = await startNodeHolder(ct.root);
  holders.push(holder);
  await registerContainer(state, 'pve1', 101, 'ct101', holder.pid);
});
afterAll(async () => {
  for (const h of holders) await h.stop();
});

const pct = (args: string[], env?: Record<string, string>) => pve.run(['pct', ...args], env);

describe('pct exec', () => {
  it("runs the command in the container's mount namespace", async () => {
    const r = await pct(['exec', '101', '--', 'cat', '/etc/rancher/whoami']);
    expect(r).toEqual({ code: 0, stdout: 'container ct101\n', stderr: '' });
    expect((await pve.run(['cat', '/etc/rancher/whoami'])).stdout).toBe('proxmox host pve1\n');
  });

  it("returns the command's exit code and output", async () => {
    const r = await pct(['exec', '101', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(r).toEqual({ code: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('keeps the environment (and sets container=lxc) unless --keep-env 0', async () => {
    const kept = await pct(['exec', '101', '--', 'sh', '-c', 'echo "$HERD:$container"'], { HERD: 'book' });
    expect(kept.stdout).toBe('book:lxc\n');
    const cleared = await pct(['exec', '101', '--keep-env', '0', '--', 'sh', '-c', 'echo "$HERD:$container"'], {
      HERD: 'book',
    });
    expect(cleared.stdout).toBe(':lxc\n');
  });

  it.each([
    [['exec', '999', '--', 'true'], "Configuration file 'nodes/pve1/lxc/999.conf' does not exist\n"],
    [['exec', '101'], 'missing command at /usr/share/perl5/PVE/CLI/pct.pm line 318.\n'],
    [['exec', '101', '--'], 'missing command at /usr/share/perl5/PVE/CLI/pct.pm line 318.\n'],
  ])("pct %j fails with pct's message and 255", async (args, stderr) => {
    expect(await pct(args)).toEqual({ code: 255, stdout: '', stderr });
  });
});

describe('pct status, stop, start', () => {
  it("follows the container through stop and start, with pct's errors", async () => {
    expect((await pct(['status', '101'])).stdout).toBe('status: running\n');
    expect(await pct(['start', '101'])).toEqual({ code: 255, stdout: '', stderr: 'CT 101 already running\n' });
    expect((await pct(['stop', '101'])).code).toBe(0);
    expect((await pct(['status', '101'])).stdout).toBe('status: stopped\n');
    expect(await pct(['exec', '101', '--', 'true'])).toEqual({
      code: 255,
      stdout: '',
      stderr: "container '101' not running!\n",
    });
    expect(await pct(['stop', '101'])).toEqual({ code: 255, stdout: '', stderr: 'CT 101 not running\n' });
    expect((await pct(['start', '101'])).code).toBe(0);
    expect((await pct(['status', '101'])).stdout).toBe('status: running\n');
    expect((await pct(['status', '102'])).stderr).toBe("Configuration file 'nodes/pve1/lxc/102.conf' does not exist\n");
  });

  it('answers as pct does for an unknown vmid, and runs nothing in a stopped container', async () => {
    const unknown = "Configuration file 'nodes/pve1/lxc/999.conf' does not exist\n";
    expect(await pct(['status', '999'])).toEqual({ code: 255, stdout: '', stderr: unknown });
    expect((await pct(['stop', '101'])).code).toBe(0);
    try {
      const r = await pct(['exec', '101', '--', 'sh', '-c', 'echo ran > /etc/rancher/ran']);
      expect(r).toEqual({ code: 255, stdout: '', stderr: "container '101' not running!\n" });
      await expect(readFile(`${ct.root}/etc/rancher/ran`)).rejects.toThrow();
    } finally {
      expect((await pct(['start', '101'])).code).toBe(0);
    }
    // A command's own 255 looks the same from the outside: only its words tell (the pct connection's marker does).
    expect(await pct(['exec', '101', '--', 'sh', '-c', 'echo "container \'101\' not running!" >&2; exit 255'])).toEqual(
      { code: 255, stdout: '', stderr: "container '101' not running!\n" },
    );
  });

  it("reports stopped when the container's process is gone", async () => {
    const gone = await makeNode(state, 'ct105');
    const h = await startNodeHolder(gone.root);
    await registerContainer(state, 'pve1', 105, 'ct105', h.pid);
    expect((await pct(['status', '105'])).stdout).toBe('status: running\n');
    await h.stop();
    expect((await pct(['status', '105'])).stdout).toBe('status: stopped\n');
  });
});

describe('pct push and pull', () => {
  it('pushes a file into the container with --perms', async () => {
    await writeFile(`${pve.root}/run/payload`, 'hello from the host\n');
    const r = await pct(['push', '101', '/run/payload', '/etc/rancher/pushed.txt', '--perms', '0640']);
    expect(r, output(r)).toEqual({ code: 0, stdout: '', stderr: '' });
    const dest = `${ct.root}/etc/rancher/pushed.txt`;
    expect(await readFile(dest, 'utf8')).toBe('hello from the host\n');
    expect((await stat(dest)).mode & 0o777).toBe(0o640);
  });

  it('pulls a file out of the container', async () => {
    await writeFile(`${ct.root}/etc/rancher/k3s-notes`, 'inside ct101\n');
    const r = await pct(['pull', '101', '/etc/rancher/k3s-notes', '/run/pulled', '--perms', '600']);
    expect(r, output(r)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await readFile(`${pve.root}/run/pulled`, 'utf8')).toBe('inside ct101\n');
    expect((await stat(`${pve.root}/run/pulled`)).mode & 0o777).toBe(0o600);
  });

  it.each([
    [['push', '101', '/run/no-such-file', '/tmp/x'], 'failed to open /run/no-such-file for reading\n'],
    [
      ['push', '101', '/etc/rancher/whoami', '/no/such/dir/x'],
      'failed to create file: /no/such/dir/x: No such file or directory\n',
    ],
    [
      ['pull', '101', '/etc/rancher/absent', '/run/absent'],
      'failed to open /etc/rancher/absent: No such file or directory\n',
    ],
    [['push', '101', '/etc/rancher/whoami', '/run/x', '--perms', '9x'], "invalid mode: '9x'\n"],
    [['push', '999', '/etc/rancher/whoami', '/run/x'], 'can only push files to a running CT\n'],
  ])('pct %j fails with 255', async (args, stderr) => {
    expect(await pct(args)).toEqual({ code: 255, stdout: '', stderr });
  });
});

describe('pct list', () => {
  it("prints pct's fixed-width table sorted by VMID", async () => {
    const h = await startNodeHolder((await makeNode(state, 'ct110')).root);
    holders.push(h);
    await registerContainer(state, 'pve1', 110, 'ct110', h.pid, { hostname: 'k3s-worker-2' });
    const r = await pct(['list']);
    expect(r.stdout).toBe(
      [
        'VMID       Status     Lock         Name                ',
        '101        running                 ct101               ',
        '105        stopped                 ct105               ',
        '110        running                 k3s-worker-2        ',
        '',
      ].join('\n'),
    );
  });
});

describe('a k3s agent in an LXC container that loses /dev/kmsg (shared/seeds/003)', () => {
  let agent: TestNode;
  beforeAll(async () => {
    agent = await makeNode(state, 'ct120');
    await markLxcWithoutKmsg(agent.root);
    await preinstallK3s(agent.root, {
      version: 'v1.31.4+k3s1',
      role: 'agent',
      env: { K3S_URL: 'https://10.0.0.1:6443', K3S_TOKEN: 'tok', INSTALL_K3S_SKIP_START: 'true' },
    });
    const h = await startNodeHolder(agent.root);
    holders.push(h);
    await registerContainer(state, 'pve1', 120, 'ct120', h.pid);
  });
  const agentActive = async () =>
    (await pct(['exec', '120', '--', 'systemctl', 'is-active', 'k3s-agent'])).stdout.trim();

  it('fails to start k3s-agent after a container restart', async () => {
    expect((await pct(['stop', '120'])).code).toBe(0);
    expect((await pct(['start', '120'])).code).toBe(0);
    expect(await agentActive()).toBe('failed');
    const out = await readFile(`${agent.root}/run/fake-systemd/k3s-agent.service.out`, 'utf8');
    expect(out).toContain(
      'Error: failed to run Kubelet: failed to create kubelet: open /dev/kmsg: no such file or directory',
    );
  });

  it('starts after every restart once the unit has the ExecStartPre fix, and not without it', async () => {
    const dropIn = `${k3sNodePaths(agent.root).unit('k3s-agent')}.d`;
    await mkdir(dropIn, { recursive: true });
    await writeFile(`${dropIn}/kmsg.conf`, '[Service]\nExecStartPre=-/bin/sh -c "ln -sf /dev/console /dev/kmsg"\n');
    for (let boot = 0; boot < 2; boot++) {
      expect((await pct(['reboot', '120'])).code).toBe(0);
      expect(await agentActive()).toBe('active');
    }
    await writeFile(`${dropIn}/kmsg.conf`, '[Service]\n');
    expect((await pct(['reboot', '120'])).code).toBe(0);
    expect(await agentActive()).toBe('failed');
    expect((await readStarts(agent.root)).map((s) => s.result)).toEqual(['failed', 'ok', 'ok', 'failed']);
  });
});

it('registerContainer writes the config where pct looks for it', async () => {
  const conf = await readFile(`${nodeRoot(state, 'pve1')}/etc/pve/nodes/pve1/lxc/101.conf`, 'utf8');
  expect(conf).toContain(`#fake-pid: ${holder.pid}\n`);
  expect(conf).toContain('hostname: ct101\n');
  expect((await pct(['config', '101'])).stdout).toContain('rootfs: local-lvm:vm-101-disk-0,size=8G\n');
});
