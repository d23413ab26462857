// OpenSSH options (--ssh-common-args, ansible.cfg's ssh_args) → herdbook's connection settings:
// the ones ssh2 has are applied, OpenSSH's own process options are noted, others refused.
import { describe, expect, it } from 'vitest';
import { parseSshArgs } from '../../engine/connection/ssh-args.js';
import { connectionSettings } from '../../engine/inventory/connection-vars.js';

describe('parseSshArgs', () => {
  it.each([
    ['-o StrictHostKeyChecking=no', { host_key_checking: 'no' }, { hostKeyChecking: 'off' }],
    ['-oStrictHostKeyChecking=accept-new', { host_key_checking: 'accept-new' }, { hostKeyChecking: 'accept-new' }],
    ['-o "StrictHostKeyChecking yes"', { host_key_checking: 'yes' }, { hostKeyChecking: 'strict' }],
    ['-o UserKnownHostsFile=/tmp/kh', { known_hosts_file: '/tmp/kh' }, { knownHostsFile: '/tmp/kh' }],
    ['-i ~/.ssh/id_pi', { private_key_file: '~/.ssh/id_pi' }, { privateKeyFile: '~/.ssh/id_pi' }],
    ['-o IdentityFile=/k', { private_key_file: '/k' }, { privateKeyFile: '/k' }],
    ['-p 2222', { port: '2222' }, { port: 2222 }],
    ['-p2222', { port: '2222' }, { port: 2222 }],
    ['-l pi', { user: 'pi' }, { user: 'pi' }],
    ['-J admin@bastion:2200', { proxy_jump: 'admin@bastion:2200' }, { proxyJump: 'admin@bastion:2200' }],
    ['-o ProxyJump=bastion', { proxy_jump: 'bastion' }, { proxyJump: 'bastion' }],
    ['-o ConnectTimeout=5', { connect_timeout: '5' }, { connectTimeout: 5000 }],
    [
      '-o ServerAliveInterval=30 -o ServerAliveCountMax=5',
      { keepalive_interval: '30', keepalive_count_max: '5' },
      { keepaliveInterval: 30_000, keepaliveCountMax: 5 },
    ],
  ])('%s', (text, settings, resolved) => {
    const r = parseSshArgs(text, '--ssh-common-args');
    expect(r).toEqual({ settings, notes: [] });
    // As defaults, under the host's own variables, they give the connection settings.
    expect(connectionSettings('h', () => undefined, {}, r.settings)).toMatchObject(resolved);
  });

  it("notes what only shapes OpenSSH's own process", () => {
    const r = parseSshArgs('-C -o ControlMaster=auto -o ControlPersist=60s', 'ssh_args');
    expect(r.settings).toEqual({});
    expect(r.notes).toEqual([
      "ssh_args: -C ignored (it shapes OpenSSH's own process, which herdbook does not start)",
      'ssh_args: -o ControlMaster ignored (herdbook keeps one SSH connection per host for the whole run)',
      'ssh_args: -o ControlPersist ignored (herdbook keeps one SSH connection per host for the whole run)',
    ]);
  });

  it.each([
    [
      '-o ForwardAgent=yes',
      /--ssh-common-args: -o ForwardAgent is not supported by herdbook's SSH client; supported: -o StrictHostKeyChecking/,
    ],
    ['-A', /--ssh-common-args: -A is not supported/],
    ['-p', /-p needs a value/],
    ['-p twenty', /-p needs a number, got 'twenty'/],
    ['-o Port', /-o Port is not Name=value/],
    ["-o 'StrictHostKeyChecking=no", /unterminated quote/],
  ])('refuses %s', (text, message) => {
    expect(() => parseSshArgs(text, '--ssh-common-args')).toThrow(message);
  });

  it('the host variables win over them', () => {
    const vars: Record<string, unknown> = { ansible_port: 22, ansible_user: 'root' };
    const r = parseSshArgs('-p 2222 -l pi', 'x');
    expect(connectionSettings('h', (n) => vars[n], {}, r.settings)).toMatchObject({ port: 22, user: 'root' });
  });
});
