// The fake systemctl, run directly with its unit and state directories pointed at a temp dir
// (FAKE_SYSTEMD_UNIT_DIR / FAKE_SYSTEMD_STATE_DIR), so each case is fast and isolated.
import { spawnSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeSystemctlPath } from '../../../sandbox/fleet/index.js';

let dir: string;
let units: string;
let state: string;
let daemon: string;

function systemctl(...args: string[]) {
  const r = spawnSync('/bin/sh', [fakeSystemctlPath(), ...args], {
    env: { PATH: process.env.PATH, FAKE_SYSTEMD_UNIT_DIR: units, FAKE_SYSTEMD_STATE_DIR: state },
    encoding: 'utf8',
  });
  return { rc: r.status, stdout: r.stdout, stderr: r.stderr };
}

async function unit(name: string, text: string) {
  await writeFile(path.join(units, name), text);
}

const K3S_UNIT = (bin: string) => `[Unit]
Description=Lightweight Kubernetes
[Service]
Type=notify
EnvironmentFile=-/etc/default/%N
EnvironmentFile=-${'{ENVFILE}'}
Environment="GREETING=hello world" PLAIN=yes
ExecStartPre=/bin/sh -xc '! /usr/bin/systemctl is-enabled --quiet nm-cloud-setup.service'
ExecStartPre=-/sbin/modprobe br_netfilter
ExecStart=${bin} \\
    server \\
\t'--disable' \\
\t'traefik' \\
\t"--node-label=a b"
[Install]
WantedBy=multi-user.target
`;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hb-systemctl-'));
  units = path.join(dir, 'units');
  state = path.join(dir, 'run');
  await mkdir(units);
  daemon = path.join(dir, 'fake-daemon');
  // Records how it was started; fails when the file `fail` exists.
  await writeFile(
    daemon,
    `#!/bin/sh
{ echo "args:$*"; echo "start:$FAKE_SYSTEMD_START"; echo "pre:$FAKE_SYSTEMD_EXEC_START_PRE"; echo "token:\${K3S_TOKEN:-}"; echo "greeting:\${GREETING:-}"; echo "plain:\${PLAIN:-}"; } >> ${dir}/calls
echo "daemon output"
test ! -e ${dir}/fail
`,
  );
  await chmod(daemon, 0o755);
  await writeFile(path.join(dir, 'k3s.env'), 'K3S_TOKEN=\'sekret=1\'\n# comment\nK3S_URL="https://10.0.0.1:6443"\n');
  await unit('k3s.service', K3S_UNIT(daemon).replace('{ENVFILE}', path.join(dir, 'k3s.env')));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const calls = () => readFile(path.join(dir, 'calls'), 'utf8').catch(() => '');

describe('fake systemctl', () => {
  it('starts a unit by running ExecStart once with its env, never running ExecStartPre', async () => {
    expect(systemctl('is-active', 'k3s')).toMatchObject({ rc: 3, stdout: 'inactive\n' });
    expect(systemctl('start', 'k3s')).toMatchObject({ rc: 0 });
    expect(await calls()).toBe(
      [
        'args:server --disable traefik --node-label=a b',
        'start:1',
        "pre:/bin/sh -xc '! /usr/bin/systemctl is-enabled --quiet nm-cloud-setup.service'",
        '-/sbin/modprobe br_netfilter',
        'token:sekret=1',
        'greeting:hello world',
        'plain:yes',
        '',
      ].join('\n'),
    );
    expect(systemctl('is-active', 'k3s.service')).toMatchObject({ rc: 0, stdout: 'active\n' });
    expect(systemctl('show', '-p', 'ActiveState,SubState', '--value', 'k3s').stdout).toBe('active\nrunning\n');
    // Starting an active unit does nothing, as in systemd.
    systemctl('start', 'k3s');
    expect((await calls()).match(/^args:/gm)).toHaveLength(1);
  });

  it('marks a unit failed when ExecStart exits non-zero', async () => {
    await writeFile(path.join(dir, 'fail'), '');
    const r = systemctl('start', 'k3s');
    expect(r.rc).toBe(1);
    expect(r.stderr).toContain('Job for k3s.service failed');
    expect(systemctl('is-active', 'k3s')).toMatchObject({ rc: 3, stdout: 'failed\n' });
    expect(systemctl('is-failed', 'k3s').rc).toBe(0);
    expect(systemctl('status', 'k3s')).toMatchObject({ rc: 3 });
    expect(systemctl('status', 'k3s').stdout).toContain('daemon output');
    systemctl('reset-failed', 'k3s');
    expect(systemctl('is-active', 'k3s').stdout).toBe('inactive\n');
  });

  it('logs every start, stop and restart so a restart can be told apart', async () => {
    systemctl('start', 'k3s');
    systemctl('restart', 'k3s');
    systemctl('stop', 'k3s');
    systemctl('try-restart', 'k3s'); // inactive: nothing happens
    const log = (await readFile(path.join(state, 'log'), 'utf8'))
      .trim()
      .split('\n')
      .map((l) => l.split(' ').slice(1).join(' '));
    expect(log).toEqual(['start k3s.service ok', 'restart k3s.service ok', 'stop k3s.service ok']);
    expect((await calls()).match(/^args:/gm)).toHaveLength(2);
    expect(systemctl('show', '--property=ActiveState', 'k3s').stdout).toBe('ActiveState=inactive\n');
  });

  it('uses the exit codes of systemd for unknown units', () => {
    expect(systemctl('is-active', 'nope')).toMatchObject({ rc: 4, stdout: 'inactive\n' });
    expect(systemctl('start', 'nope')).toMatchObject({
      rc: 5,
      stderr: 'Failed to start nope.service: Unit nope.service not found.\n',
    });
    expect(systemctl('stop', 'nope').rc).toBe(5);
    expect(systemctl('status', 'nope')).toMatchObject({ rc: 4 });
    expect(systemctl('is-enabled', 'nope').rc).toBe(1);
    expect(systemctl('show', 'nope', '-p', 'LoadState,ActiveState').stdout).toBe(
      'LoadState=not-found\nActiveState=inactive\n',
    );
    expect(systemctl('frobnicate', 'k3s').rc).toBe(1);
  });

  it('enables and disables through a .wants symlink', async () => {
    expect(systemctl('is-enabled', 'k3s')).toMatchObject({ rc: 1, stdout: 'disabled\n' });
    expect(systemctl('enable', 'k3s').rc).toBe(0);
    expect(systemctl('is-enabled', 'k3s')).toMatchObject({ rc: 0, stdout: 'enabled\n' });
    expect(await readFile(path.join(units, 'multi-user.target.wants', 'k3s.service'), 'utf8')).toContain('Lightweight');
    expect(systemctl('list-unit-files', '--type=service', '--no-legend').stdout).toMatch(
      /^k3s\.service\s+enabled\s+enabled\n$/,
    );
    expect(systemctl('disable', '--now', 'k3s').rc).toBe(0);
    expect(systemctl('is-enabled', 'k3s').stdout).toBe('disabled\n');
    expect(systemctl('enable', '--now', 'k3s').rc).toBe(0);
    expect(systemctl('is-active', 'k3s').stdout).toBe('active\n');
    await unit('static.service', '[Service]\nExecStart=/bin/true\n');
    expect(systemctl('is-enabled', 'static').stdout).toBe('static\n');
  });

  it('reports NeedDaemonReload for a unit changed since the last daemon-reload', async () => {
    systemctl('daemon-reload');
    expect(systemctl('show', '-p', 'NeedDaemonReload', '--value', 'k3s').stdout).toBe('no\n');
    await unit('k3s.service', K3S_UNIT(daemon).replace('{ENVFILE}', '/nonexistent').replace('traefik', 'servicelb'));
    expect(systemctl('show', '-p', 'NeedDaemonReload', '--value', 'k3s').stdout).toBe('yes\n');
    // A new drop-in counts as a change too.
    systemctl('daemon-reload');
    await mkdir(path.join(units, 'k3s.service.d'));
    await writeFile(
      path.join(units, 'k3s.service.d', 'kmsg.conf'),
      '[Service]\nExecStartPre=-/bin/sh -c "ln -sf /dev/console /dev/kmsg"\n',
    );
    expect(systemctl('show', '-p', 'NeedDaemonReload', '--value', 'k3s').stdout).toBe('yes\n');
    systemctl('daemon-reload');
    expect(systemctl('show', '-p', 'NeedDaemonReload', '--value', 'k3s').stdout).toBe('no\n');
    expect(systemctl('show', '-p', 'DropInPaths', '--value', 'k3s').stdout).toBe(
      `${path.join(units, 'k3s.service.d', 'kmsg.conf')}\n`,
    );
    const log = await readFile(path.join(state, 'log'), 'utf8');
    expect(log.match(/daemon-reload/g)).toHaveLength(3);
  });

  it('applies drop-ins: an empty ExecStart= resets it, ExecStartPre lines add up', async () => {
    await mkdir(path.join(units, 'k3s.service.d'));
    await writeFile(
      path.join(units, 'k3s.service.d', 'override.conf'),
      `[Service]\nExecStartPre=-/bin/sh -c "ln -sf /dev/console /dev/kmsg"\nExecStart=\nExecStart=${daemon} agent\n`,
    );
    expect(systemctl('start', 'k3s').rc).toBe(0);
    const c = await calls();
    expect(c).toContain('args:agent\n');
    expect(c).toContain('-/bin/sh -c "ln -sf /dev/console /dev/kmsg"\n');
    // /dev/kmsg was not touched: the ExecStartPre line was only handed over.
    expect(systemctl('show', '-p', 'ExecStart', '--value', 'k3s').stdout).toBe(
      `{ path=${daemon} ; argv[]=${daemon} agent ; ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }\n`,
    );
  });

  it('shows the properties Ansible and our modules read', () => {
    systemctl('enable', 'k3s');
    const out = systemctl('show', 'k3s').stdout;
    for (const line of [
      'LoadState=loaded',
      'ActiveState=inactive',
      'SubState=dead',
      'UnitFileState=enabled',
      'NeedDaemonReload=no',
      `FragmentPath=${path.join(units, 'k3s.service')}`,
      'Description=Lightweight Kubernetes',
    ]) {
      expect(out.split('\n')).toContain(line);
    }
    expect(out).toMatch(
      /^ExecStart=\{ path=.*fake-daemon ; argv\[\]=.*fake-daemon server --disable traefik --node-label=a b ;/m,
    );
  });

  it('refuses to run an ExecStart with command substitution', async () => {
    await unit('evil.service', `[Service]\nExecStart=/bin/echo $(touch ${dir}/pwned)\n`);
    expect(systemctl('start', 'evil').rc).toBe(1);
    await expect(
      readFile(path.join(dir, 'pwned')).then(
        () => 'ran',
        () => 'safe',
      ),
    ).resolves.toBe('safe');
  });

  it('reloads only active units', () => {
    expect(systemctl('reload', 'k3s').rc).toBe(1);
    systemctl('start', 'k3s');
    expect(systemctl('reload', 'k3s').rc).toBe(0);
    expect(systemctl('reload-or-restart', 'k3s').rc).toBe(0);
  });
});
