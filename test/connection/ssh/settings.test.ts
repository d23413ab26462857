import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseJumpSpec, resolveSshSettings } from '../../../engine/connection/ssh/settings.js';
import { testFleet, connect, type TestFleet } from './fixture.js';

const env = { HOME: '/home/op', USER: 'op' };

describe('resolveSshSettings', () => {
  it('falls back to OpenSSH defaults', () => {
    const r = resolveSshSettings({ kind: 'ssh', host: 'w-1' }, { env, sshConfigPath: null });
    expect(r.target).toMatchObject({
      name: 'w-1',
      address: 'w-1',
      port: 22,
      user: 'op',
      identityFiles: ['/home/op/.ssh/id_ed25519', '/home/op/.ssh/id_ecdsa', '/home/op/.ssh/id_rsa'],
      explicitIdentity: false,
    });
    expect(r.target.agent).toBeUndefined();
    expect(r).toMatchObject({
      hostKeyChecking: 'strict',
      knownHostsFiles: ['/home/op/.ssh/known_hosts'],
      jumps: [],
      connectTimeout: 10_000,
    });
  });

  it('parses ProxyJump entries', () => {
    expect(parseJumpSpec('admin@bastion.lab:2222', 'h')).toEqual({ user: 'admin', name: 'bastion.lab', port: 2222 });
    expect(parseJumpSpec('bastion', 'h')).toEqual({ user: undefined, name: 'bastion' });
    expect(parseJumpSpec('u@[fe80::1]:22', 'h')).toEqual({ user: 'u', name: 'fe80::1', port: 22 });
    expect(parseJumpSpec('ssh://u@b:2200', 'h')).toEqual({ user: 'u', name: 'b', port: 2200 });
    expect(() => parseJumpSpec('b:99999', 'h')).toThrow(/invalid ssh port/);
  });
});

describe('~/.ssh/config', () => {
  let t: TestFleet;
  let configPath: string;

  beforeAll(async () => {
    t = await testFleet([{ name: 'w-1' }, { name: 'bastion' }]);
    const w = t.fleet.node('w-1');
    const b = t.fleet.node('bastion');
    configPath = path.join(t.dir, 'ssh_config');
    await writeFile(
      configPath,
      [
        'Host w1-alias',
        '  HostName 127.0.0.1',
        `  Port ${w.port}`,
        '  User root',
        `  IdentityFile ${t.fleet.clientKeyPath}`,
        `  UserKnownHostsFile ${t.fleet.knownHostsPath}`,
        '  StrictHostKeyChecking yes',
        'Host via-bastion',
        '  HostName 127.0.0.1',
        `  Port ${w.port}`,
        '  ProxyJump jump',
        'Host jump',
        '  HostName 127.0.0.1',
        `  Port ${b.port}`,
        '  User root',
        'Host *',
        `  IdentityFile ${t.fleet.clientKeyPath}`,
        `  UserKnownHostsFile ${t.fleet.knownHostsPath}`,
        '  StrictHostKeyChecking accept-new',
        '  User nobody-by-default',
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await t?.stop();
  });

  it('fills HostName, Port, User, IdentityFile and known hosts from the config', async () => {
    const r = resolveSshSettings({ kind: 'ssh', host: 'w1-alias' }, { env, sshConfigPath: configPath });
    expect(r.target).toMatchObject({
      address: '127.0.0.1',
      port: t.fleet.node('w-1').port,
      user: 'root',
      identityFiles: [t.fleet.clientKeyPath],
    });
    expect(r.hostKeyChecking).toBe('strict');
    const conn = connect(
      t,
      'w-1',
      {
        host: 'w1-alias',
        address: undefined,
        port: undefined,
        user: undefined,
        privateKeyFile: undefined,
        knownHostsFile: undefined,
        hostKeyChecking: undefined,
      },
      { sshConfigPath: configPath },
    );
    expect((await conn.exec(['id', '-un'])).stdout).toBe('root\n');
    await conn.close();
  });

  it('lets inventory values win over the config', () => {
    const r = resolveSshSettings(
      { kind: 'ssh', host: 'w1-alias', port: 2201, user: 'admin', hostKeyChecking: 'off' },
      { env, sshConfigPath: configPath },
    );
    expect(r.target).toMatchObject({ port: 2201, user: 'admin', address: '127.0.0.1' });
    expect(r.hostKeyChecking).toBe('off');
  });

  it('reads the config path from HERDBOOK_SSH_CONFIG', () => {
    const r = resolveSshSettings(
      { kind: 'ssh', host: 'w1-alias' },
      { env: { ...env, HERDBOOK_SSH_CONFIG: configPath } },
    );
    expect(r.target.port).toBe(t.fleet.node('w-1').port);
  });

  it('follows a ProxyJump from the config, resolving the bastion through the config too', async () => {
    const r = resolveSshSettings(
      { kind: 'ssh', host: 'via-bastion', user: 'root' },
      { env, sshConfigPath: configPath },
    );
    expect(r.jumps).toHaveLength(1);
    expect(r.jumps[0]).toMatchObject({ address: '127.0.0.1', port: t.fleet.node('bastion').port, user: 'root' });
    const conn = connect(
      t,
      'w-1',
      {
        host: 'via-bastion',
        address: undefined,
        port: undefined,
        privateKeyFile: undefined,
        knownHostsFile: undefined,
        hostKeyChecking: undefined,
      },
      { sshConfigPath: configPath },
    );
    expect((await conn.exec(['echo', 'jumped'])).stdout).toBe('jumped\n');
    expect(conn.events.filter((e) => e.type === 'connect')).toHaveLength(2);
    await conn.close();
  });
});
