import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../engine/errors.js';
import { hashHost, hostToken, parseKnownHosts, verifyHostKey } from '../../../engine/connection/ssh/known-hosts.js';
import { testFleet, connect, type TestFleet } from './fixture.js';

let t: TestFleet;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }, { name: 'w-2' }, { name: 'w-3' }]);
});

afterAll(async () => {
  await t?.stop();
});

async function failure(p: Promise<unknown>): Promise<UnreachableError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnreachableError);
  return e as UnreachableError;
}

describe('host key verification', () => {
  it('accepts a key listed in known_hosts, plain or hashed', async () => {
    for (const file of [t.fleet.knownHostsPath, t.fleet.hashedKnownHostsPath]) {
      const conn = connect(t, 'w-1', { knownHostsFile: file });
      expect((await conn.exec(['echo', 'ok'])).stdout).toBe('ok\n');
      await conn.close();
    }
  });

  it("finds the host's key among entries of several key types", async () => {
    const n = t.fleet.node('w-1');
    const file = path.join(t.dir, 'multi_known_hosts');
    const ed = (await readFile(t.fleet.knownHostsPath, 'utf8'))
      .split('\n')
      .find((l) => l.startsWith(`[127.0.0.1]:${n.port} `))!;
    // A (made-up) ECDSA and RSA key for the same host first: the server has only ed25519.
    const fake = (type: string) =>
      Buffer.concat([Buffer.from([0, 0, 0, type.length]), Buffer.from(type), Buffer.alloc(40, 7)]).toString('base64');
    await writeFile(
      file,
      `[127.0.0.1]:${n.port} ecdsa-sha2-nistp256 ${fake('ecdsa-sha2-nistp256')}\n[127.0.0.1]:${n.port} ssh-rsa ${fake('ssh-rsa')}\n${ed}\n`,
    );
    const conn = connect(t, 'w-1', { knownHostsFile: file });
    expect((await conn.exec(['true'])).rc).toBe(0);
    await conn.close();
  });

  it('refuses an unknown host under strict checking, with the fingerprint and how to accept it', async () => {
    const empty = path.join(t.dir, 'empty_known_hosts');
    await writeFile(empty, '');
    const n = t.fleet.node('w-2');
    const e = await failure(connect(t, 'w-2', { knownHostsFile: empty }).exec(['true']));
    expect(e.reason).toBe('hostkey');
    expect(e.host).toBe('w-2');
    expect(e.message).toContain(n.hostKeyFingerprint);
    expect(e.message).toContain(`ssh-keyscan -p ${n.port} 127.0.0.1 >> ${empty}`);
    expect(e.message).toContain('accept-new');
    expect(await readFile(empty, 'utf8')).toBe('');
  });

  it('adds an unknown host with accept-new, then trusts exactly that key', async () => {
    const file = path.join(t.dir, 'accept_new_known_hosts');
    await writeFile(file, '# existing comment\n');
    const n = t.fleet.node('w-2');
    const conn = connect(t, 'w-2', { knownHostsFile: file, hostKeyChecking: 'accept-new' });
    expect((await conn.exec(['true'])).rc).toBe(0);
    await conn.close();
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${n.port} ssh-ed25519 `));
    expect(conn.events.some((e) => e.type === 'host-key-added' && e.fingerprint === n.hostKeyFingerprint)).toBe(true);
    // Strict now accepts it too.
    const again = connect(t, 'w-2', { knownHostsFile: file });
    expect((await again.exec(['true'])).rc).toBe(0);
    await again.close();
  });

  it('refuses a changed key even with accept-new, naming the new fingerprint and the line to remove', async () => {
    const file = path.join(t.dir, 'changed_known_hosts');
    const original = await readFile(t.fleet.knownHostsPath, 'utf8');
    // Pad so the entry is not on line 1: the message must count lines like an editor.
    await writeFile(file, `# one\n# two\n${original}`);
    const before = t.fleet.node('w-3').hostKeyFingerprint;
    const fp = await t.fleet.regenerateHostKey('w-3');
    expect(fp).not.toBe(before);
    const line = 3 + t.fleet.nodes.findIndex((n) => n.name === 'w-3');
    for (const policy of ['strict', 'accept-new'] as const) {
      const e = await failure(connect(t, 'w-3', { knownHostsFile: file, hostKeyChecking: policy }).exec(['true']));
      expect(e.reason).toBe('hostkey');
      expect(e.message).toContain(fp);
      expect(e.message).toContain(`remove line ${line} of ${file}`);
      expect(e.message).toContain('CHANGED');
    }
    expect(await readFile(file, 'utf8')).toBe(`# one\n# two\n${original}`);
  });

  it('accepts anything with hostKeyChecking off', async () => {
    const conn = connect(t, 'w-3', { knownHostsFile: path.join(t.dir, 'nonexistent'), hostKeyChecking: 'off' });
    expect((await conn.exec(['true'])).rc).toBe(0);
    await conn.close();
  });
});

describe('known_hosts parsing', () => {
  const key = (n: number) =>
    Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 1, n])]);
  const b64 = (n: number) => key(n).toString('base64');

  it('matches [host]:port, plain names, wildcards, negations and hashed entries', () => {
    const text = [
      `[10.0.0.5]:2222 ssh-ed25519 ${b64(1)}`,
      `server-1,10.0.0.6 ssh-ed25519 ${b64(2)}`,
      `*.lab,!bad.lab ssh-ed25519 ${b64(3)}`,
      `${hashHost('[10.0.0.9]:2200')} ssh-ed25519 ${b64(4)}`,
      `@revoked * ssh-ed25519 ${b64(5)}`,
      `10.0.0.7 ecdsa-sha2-nistp256 AAAAE2VjZHNh`,
    ].join('\n');
    const entries = parseKnownHosts(text, 'kh');
    expect(verifyHostKey(entries, hostToken('10.0.0.5', 2222), key(1)).kind).toBe('match');
    expect(verifyHostKey(entries, hostToken('10.0.0.5', 22), key(1)).kind).toBe('unknown');
    expect(verifyHostKey(entries, '10.0.0.6', key(2)).kind).toBe('match');
    expect(verifyHostKey(entries, 'node.lab', key(3)).kind).toBe('match');
    expect(verifyHostKey(entries, 'bad.lab', key(3)).kind).toBe('unknown');
    expect(verifyHostKey(entries, hostToken('10.0.0.9', 2200), key(4)).kind).toBe('match');
    const changed = verifyHostKey(entries, 'server-1', key(9));
    expect(changed).toMatchObject({ kind: 'changed', entry: { line: 2, file: 'kh' } });
    expect(verifyHostKey(entries, 'anything', key(5)).kind).toBe('revoked');
    expect(verifyHostKey(entries, '10.0.0.7', key(1)).kind).toBe('other-type');
  });
});
