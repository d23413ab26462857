import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../engine/errors.js';
import { freePort } from '../../../sandbox/fleet/node-process.js';
import { createSshPool } from '../../../engine/connection/ssh/index.js';
import { testFleet, connect, isolatedDeps, type TestFleet } from './fixture.js';

let t: TestFleet;

beforeAll(async () => {
  t = await testFleet([{ name: 'bastion' }, { name: 'bastion-2' }, { name: 'w-1' }]);
});

afterAll(async () => {
  await t?.stop();
});

describe('ProxyJump', () => {
  it('reaches the target through a bastion, verifying both host keys', async () => {
    const b = t.fleet.node('bastion');
    const bastionLog = path.join(t.fleet.stateDir, 'sshd', 'bastion', 'sshd.log');
    const logins = async () =>
      ((await readFile(bastionLog, 'utf8')).match(/Accepted publickey for root/g) ?? []).length;
    const before = await logins();
    const conn = connect(t, 'w-1', { proxyJump: `root@127.0.0.1:${b.port}` });
    try {
      const seen = await conn.exec('echo "$SSH_CONNECTION"');
      // The bastion's sshd saw one more login, and the command ran on the target's sshd.
      expect(await logins()).toBe(before + 1);
      expect(seen.stdout.split(' ')[3].trim()).toBe(String(t.fleet.node('w-1').port));
      expect(conn.events.filter((e) => e.type === 'connect').map((e) => ('hop' in e ? e.hop : ''))).toEqual([
        `127.0.0.1:${b.port}`,
        `127.0.0.1:${t.fleet.node('w-1').port}`,
      ]);
    } finally {
      await conn.close();
    }
  });

  it('chains two bastions', async () => {
    const b1 = t.fleet.node('bastion');
    const b2 = t.fleet.node('bastion-2');
    const conn = connect(t, 'w-1', { proxyJump: `127.0.0.1:${b1.port},root@127.0.0.1:${b2.port}` });
    try {
      expect((await conn.exec(['echo', 'two hops'])).stdout).toBe('two hops\n');
      expect(conn.events.filter((e) => e.type === 'connect')).toHaveLength(3);
    } finally {
      await conn.close();
    }
  });

  it('verifies the bastion host key too', async () => {
    const b = t.fleet.node('bastion');
    const onlyTarget = path.join(t.dir, 'only_target_known_hosts');
    const w = t.fleet.node('w-1');
    const all = await readFile(t.fleet.knownHostsPath, 'utf8');
    await writeFile(
      onlyTarget,
      all
        .split('\n')
        .filter((l) => l.startsWith(`[127.0.0.1]:${w.port} `))
        .join('\n'),
    );
    const e = await connect(t, 'w-1', { proxyJump: `127.0.0.1:${b.port}`, knownHostsFile: onlyTarget })
      .exec(['true'])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect((e as UnreachableError).reason).toBe('hostkey');
    expect((e as UnreachableError).message).toContain(`bastion for w-1`);
    expect((e as UnreachableError).message).toContain(b.hostKeyFingerprint);
  });

  it('reports a target the bastion cannot reach as refused', async () => {
    const b = t.fleet.node('bastion');
    const port = await freePort();
    const e = await connect(t, 'w-1', { proxyJump: `127.0.0.1:${b.port}`, port }, { connectAttempts: 1 })
      .exec(['true'])
      .catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UnreachableError);
    expect((e as UnreachableError).reason).toBe('refused');
  });
});

describe('bastions in a pool', () => {
  it('shares one bastion login among the hosts behind it', async () => {
    const b = t.fleet.node('bastion-2');
    const bastionLog = path.join(t.fleet.stateDir, 'sshd', 'bastion-2', 'sshd.log');
    const logins = async () =>
      ((await readFile(bastionLog, 'utf8')).match(/Accepted publickey for root/g) ?? []).length;
    const before = await logins();
    const pool = createSshPool(isolatedDeps(t).deps);
    const targets = ['w-1', 'bastion'].map((name) => ({
      ...t.fleet.node(name).settings,
      proxyJump: `root@127.0.0.1:${b.port}`,
    }));
    // The same target twice under two inventory names: three hosts, one bastion.
    targets.push({ ...targets[0], host: 'w-1-again' });
    try {
      const out = await Promise.all(targets.map((s) => pool.connection(s).exec(['echo', s.host])));
      expect(out.map((r) => r.stdout)).toEqual(targets.map((s) => `${s.host}\n`));
      expect(await logins()).toBe(before + 1);
    } finally {
      await pool.closeAll();
    }
    // Closing the last host behind it ends the bastion connection too.
    for (let i = 0; i < 100 && (await t.fleet.sessionPids('bastion-2')).length > 0; i++)
      await new Promise((r) => setTimeout(r, 20));
    expect(await t.fleet.sessionPids('bastion-2')).toEqual([]);
  });

  it('does not lend a bastion opened without host key checking to a host that checks strictly', async () => {
    const b = t.fleet.node('bastion-2');
    const w = t.fleet.node('w-1');
    // Knows the target's key but not the bastion's: strict checking must refuse the bastion.
    const onlyTarget = path.join(t.dir, 'pool_only_target_known_hosts');
    const all = await readFile(t.fleet.knownHostsPath, 'utf8');
    await writeFile(
      onlyTarget,
      all
        .split('\n')
        .filter((l) => l.startsWith(`[127.0.0.1]:${w.port} `))
        .join('\n'),
    );
    const pool = createSshPool(isolatedDeps(t).deps);
    const via = { ...w.settings, proxyJump: `root@127.0.0.1:${b.port}` };
    try {
      const lax = pool.connection({
        ...via,
        host: 'w-1-lax',
        hostKeyChecking: 'off',
        knownHostsFile: path.join(t.dir, 'no_known_hosts'),
      });
      expect((await lax.exec(['echo', 'lax'])).stdout).toBe('lax\n');
      // The lax host still holds its bastion: a shared one would let the strict host through.
      const e = await pool
        .connection({ ...via, host: 'w-1-strict', hostKeyChecking: 'strict', knownHostsFile: onlyTarget })
        .exec(['true'])
        .catch((x: unknown) => x);
      expect(e).toBeInstanceOf(UnreachableError);
      expect((e as UnreachableError).reason).toBe('hostkey');
      expect((e as UnreachableError).message).toContain('bastion for w-1-strict');
    } finally {
      await pool.closeAll();
    }
  });
});
