import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../../sandbox/fleet/processes.js';
import {
  nodePath,
  nodeRoot,
  readFakeSystemdLog,
  readFakeUnitState,
  startFleet,
  stopFleet,
  type Fleet,
} from '../../../sandbox/fleet/index.js';
import { sshCli } from './ssh-cli.js';

let fleet: Fleet;
let stateDir: string;

beforeAll(async () => {
  stateDir = await mkdtemp(path.join(tmpdir(), 'hb-fleet-'));
  fleet = await startFleet({ stateDir, nodes: [{ name: 'a' }, { name: 'b', sftp: false }, { name: 'pve' }] });
});

afterAll(async () => {
  await fleet?.stop();
  await rm(stateDir, { recursive: true, force: true });
});

describe('startFleet', () => {
  it('starts one sshd per node on its own port, reachable with the real ssh client and strict known_hosts', async () => {
    expect(new Set(fleet.nodes.map((n) => n.port)).size).toBe(3);
    for (const n of fleet.nodes) {
      expect(isAlive(n.pid)).toBe(true);
      expect(n.root).toBe(nodeRoot(stateDir, n.name));
      expect(n.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
      const r = await sshCli(fleet, n, 'id -un');
      expect(r).toMatchObject({ rc: 0, stdout: 'root\n' });
    }
  });

  it('writes a hashed known_hosts that OpenSSH accepts too', async () => {
    const hashed = await readFile(fleet.hashedKnownHostsPath, 'utf8');
    expect(hashed).not.toContain('127.0.0.1');
    expect(hashed.split('\n')[0]).toMatch(/^\|1\|[^|]+\|[^ ]+ ssh-ed25519 /);
    const r = await sshCli(fleet, fleet.node('a'), 'true', { knownHosts: fleet.hashedKnownHostsPath });
    expect(r.rc).toBe(0);
  });

  it('gives each node its own k3s paths: a file written on a is not on b', async () => {
    const a = fleet.node('a');
    const b = fleet.node('b');
    const w = await sshCli(
      fleet,
      a,
      'echo from-a > /usr/local/bin/k3s && mkdir -p /etc/rancher/k3s /var/lib/rancher/k3s && echo cfg > /etc/rancher/k3s/config.yaml',
    );
    expect(w.rc).toBe(0);
    expect(await readFile(path.join(a.root, 'usr/local/bin/k3s'), 'utf8')).toBe('from-a\n');
    expect(await readFile(nodePath(stateDir, 'a', '/etc/rancher/k3s/config.yaml'), 'utf8')).toBe('cfg\n');
    const r = await sshCli(
      fleet,
      b,
      'test -e /usr/local/bin/k3s; echo $?; test -e /etc/rancher/k3s/config.yaml; echo $?',
    );
    expect(r.stdout).toBe('1\n1\n');
    // The controller's own paths are untouched.
    await expect(
      stat('/usr/local/bin/k3s').then(
        () => 'exists',
        () => 'absent',
      ),
    ).resolves.toBe('absent');
  });

  it('mounts /etc/systemd/system, /run and /etc/pve per node as well', async () => {
    const pve = fleet.node('pve');
    await writeFile(nodePath(stateDir, 'pve', '/etc/pve/marker'), 'pve\n');
    const r = await sshCli(fleet, pve, 'cat /etc/pve/marker; touch /run/only-pve /etc/systemd/system/only-pve.service');
    expect(r.stdout).toBe('pve\n');
    const other = await sshCli(
      fleet,
      fleet.node('a'),
      'ls /etc/pve /run/only-pve /etc/systemd/system/only-pve.service 2>&1 | wc -l; test -e /run/only-pve; echo $?',
    );
    expect(other.stdout.trim().split('\n').pop()).toBe('1');
  });

  it('installs the fake systemctl first on PATH', async () => {
    const r = await sshCli(fleet, fleet.node('a'), 'command -v systemctl; systemctl --version');
    expect(r.stdout).toBe('/usr/local/bin/systemctl\nsystemd 252 (herdbook fake systemctl)\n');
  });

  it('runs units with the fake systemctl on the node, state readable from the controller', async () => {
    const a = fleet.node('a');
    await writeFile(
      nodePath(stateDir, 'a', '/usr/local/bin/fake-k3s'),
      '#!/bin/sh\necho "$FAKE_SYSTEMD_START $*" > /var/lib/rancher/started\n',
      { mode: 0o755 },
    );
    await writeFile(
      nodePath(stateDir, 'a', '/etc/systemd/system/k3s.service'),
      '[Service]\nExecStartPre=-/sbin/modprobe overlay\nExecStart=/usr/local/bin/fake-k3s server\n[Install]\nWantedBy=multi-user.target\n',
    );
    const r = await sshCli(
      fleet,
      a,
      'systemctl daemon-reload && systemctl enable --now k3s && systemctl is-active k3s',
    );
    expect(r).toMatchObject({ rc: 0, stdout: 'active\n' });
    expect(await readFile(nodePath(stateDir, 'a', '/var/lib/rancher/started'), 'utf8')).toBe('1 server\n');
    expect(await readFakeUnitState(stateDir, 'a', 'k3s')).toEqual({ activeState: 'active', subState: 'running' });
    expect((await readFakeSystemdLog(stateDir, 'a')).map((e) => `${e.action} ${e.unit}`)).toEqual([
      'daemon-reload -',
      'enable k3s.service',
      'start k3s.service',
    ]);
    expect(await readFakeUnitState(stateDir, 'b', 'k3s')).toEqual({ activeState: 'inactive', subState: 'dead' });
  });

  it('serves SFTP only where asked', async () => {
    const sftp = async (name: string) => {
      const n = fleet.node(name);
      return new Promise<number>((resolve) => {
        const child = spawn(
          'sftp',
          [
            '-b',
            '-',
            '-i',
            fleet.clientKeyPath,
            '-o',
            `UserKnownHostsFile=${fleet.knownHostsPath}`,
            '-o',
            'StrictHostKeyChecking=yes',
            '-P',
            String(n.port),
            `root@${n.address}`,
          ],
          { stdio: ['pipe', 'ignore', 'ignore'] },
        );
        child.on('close', (rc) => resolve(rc ?? -1));
        child.stdin.end('pwd\n');
      });
    };
    expect(await sftp('a')).toBe(0);
    expect(await sftp('b')).not.toBe(0);
  });

  it('has become users: passwordless sudo and sudo with the password from the fleet result', async () => {
    const a = fleet.node('a');
    const nopw = await sshCli(fleet, a, 'sudo -n id -un', { user: fleet.users.nopasswd });
    expect(nopw).toMatchObject({ rc: 0, stdout: 'root\n' });
    const denied = await sshCli(fleet, a, 'sudo -n id -un', { user: fleet.users.passwd });
    expect(denied.rc).not.toBe(0);
    expect(denied.stderr).toContain('password is required');
    const ok = await sshCli(fleet, a, "sudo -S -p '' id -un", {
      user: fleet.users.passwd,
      input: `${fleet.users.password}\n`,
    });
    expect(ok).toMatchObject({ rc: 0, stdout: 'root\n' });
  });

  it('regenerates a host key so known_hosts no longer matches', async () => {
    const b = fleet.node('b');
    const before = b.hostKeyFingerprint;
    const after = await fleet.regenerateHostKey('b');
    expect(after).not.toBe(before);
    const r = await sshCli(fleet, b, 'true');
    expect(r.rc).toBe(255);
    expect(r.stderr).toContain('REMOTE HOST IDENTIFICATION HAS CHANGED');
  });
});

describe('stopFleet', () => {
  it('stops a fleet from its state dir alone, sessions included', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'hb-fleet-stop-'));
    const other = await startFleet({ stateDir: dir, nodes: 2 });
    try {
      expect(other.nodes.map((n) => n.name)).toEqual(['node-1', 'node-2']);
      const pending = sshCli(other, other.nodes[0], 'sleep 30');
      // Wait for the session to exist, so stopFleet has to take it down too.
      for (let i = 0; i < 200 && (await other.sessionPids('node-1')).length === 0; i++)
        await new Promise((r) => setTimeout(r, 25));
      const sessions = await other.sessionPids('node-1');
      expect(sessions.length).toBeGreaterThan(0);
      await stopFleet(dir);
      for (const n of other.nodes) expect(isAlive(n.pid)).toBe(false);
      for (const p of sessions) expect(isAlive(p)).toBe(false);
      expect((await pending).rc).not.toBe(0);
    } finally {
      await other.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
