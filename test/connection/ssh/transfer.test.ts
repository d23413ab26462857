import { createHash, randomBytes } from 'node:crypto';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodePath } from '../../../sandbox/fleet/index.js';
import { testFleet, connect, type TestFleet } from './fixture.js';

let t: TestFleet;
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }, { name: 'nosftp', sftp: false }]);
});

afterAll(async () => {
  await t?.stop();
});

describe.each([
  ['over SFTP', 'w-1'],
  ['without SFTP (cat over exec)', 'nosftp'],
])('put/get %s', (_label, node) => {
  const dest = (name: string) => nodePath(t.fleet.stateDir, node, `/var/lib/rancher/${name}`);

  it('puts and gets a large binary file intact', async () => {
    // SFTP and staging are the channel path's; executor.test.ts covers put/get through the executor.
    const conn = connect(t, node, { executor: false });
    try {
      const data = randomBytes(24 * 1024 * 1024 + 7);
      await conn.put(data, '/var/lib/rancher/blob.bin');
      // The file is where the node sees it, byte for byte.
      expect(sha(await readFile(dest('blob.bin')))).toBe(sha(data));
      expect(sha(await conn.get('/var/lib/rancher/blob.bin'))).toBe(sha(data));
      const used = conn.events.filter((e) => e.type === 'command').map((e) => ('line' in e ? e.line : ''));
      if (node === 'nosftp') expect(used.some((l) => l.includes('cat >'))).toBe(true);
      else expect(used.some((l) => l.includes('cat'))).toBe(false);
    } finally {
      await conn.close();
    }
  });

  it("sets mode and owner, keeps an existing file's mode when none is given", async () => {
    const conn = connect(t, node);
    try {
      await conn.put('secret\n', '/var/lib/rancher/token', {
        mode: '0600',
        owner: t.fleet.users.nopasswd,
        group: 'root',
      });
      const st = await stat(dest('token'));
      expect(st.mode & 0o7777).toBe(0o600);
      const uid = Number((await conn.exec(['id', '-u', t.fleet.users.nopasswd])).stdout.trim());
      expect(st.uid).toBe(uid);
      expect(st.gid).toBe(0);
      await conn.put('new\n', '/var/lib/rancher/token');
      const st2 = await stat(dest('token'));
      expect(st2.mode & 0o7777).toBe(0o600);
      expect(st2.uid).toBe(uid);
      await conn.put('fresh\n', '/var/lib/rancher/fresh');
      expect((await stat(dest('fresh'))).mode & 0o7777).toBe(0o644);
      // setuid survives an owner change: the mode is set after chown, which clears it.
      await conn.put('#!/bin/sh\n', '/var/lib/rancher/suid', { mode: '4755', owner: t.fleet.users.nopasswd });
      expect((await stat(dest('suid'))).mode & 0o7777).toBe(0o4755);
      expect(await readFile(dest('fresh'), 'utf8')).toBe('fresh\n');
    } finally {
      await conn.close();
    }
  });

  it('never shows a partial file at the destination while writing', async () => {
    const conn = connect(t, node);
    try {
      const old = Buffer.alloc(1024 * 1024, 1);
      await writeFile(dest('atomic.bin'), old);
      const data = randomBytes(32 * 1024 * 1024);
      const seen = new Set<string>();
      let done = false;
      const writing = conn.put(data, '/var/lib/rancher/atomic.bin').finally(() => (done = true));
      let reads = 0;
      while (!done) {
        seen.add(sha(await readFile(dest('atomic.bin'))));
        reads++;
      }
      await writing;
      seen.add(sha(await readFile(dest('atomic.bin'))));
      expect(reads).toBeGreaterThan(1);
      expect([...seen].every((h) => h === sha(old) || h === sha(data))).toBe(true);
      expect(seen.has(sha(data))).toBe(true);
      // No temp file is left beside it.
      const ls = await conn.exec(['ls', '-A', '/var/lib/rancher']);
      expect(ls.stdout).not.toContain('.tmp');
    } finally {
      await conn.close();
    }
  });

  it('writes as root through become, from a login user', async () => {
    const conn = connect(t, node, {
      user: t.fleet.users.passwd,
      becomePassword: t.fleet.users.password,
      executor: false,
    });
    try {
      const data = randomBytes(3 * 1024 * 1024);
      await conn.put(data, '/etc/rancher/become.bin', { become: true, mode: 0o640 });
      const st = await stat(nodePath(t.fleet.stateDir, node, '/etc/rancher/become.bin'));
      expect(st.uid).toBe(0);
      expect(st.mode & 0o7777).toBe(0o640);
      expect(sha(await conn.get('/etc/rancher/become.bin', { become: true }))).toBe(sha(data));
      // Without become the login user may not even read it.
      await expect(conn.get('/etc/rancher/become.bin')).rejects.toThrow(
        /reading \/etc\/rancher\/become.bin on .* failed/,
      );
      // No staged copy is left in /tmp. Other test files share this machine's /tmp, so look for
      // this put's own staging file (named in the command that moved it), not for any.
      const lines = conn.events.filter((e) => e.type === 'command').map((e) => ('line' in e ? e.line : ''));
      const staged = [...new Set(lines.flatMap((l) => l.match(/\/tmp\/\.herdbook-put-[0-9a-f]+/g) ?? []))];
      expect(staged).toHaveLength(node === 'nosftp' ? 0 : 1);
      for (const f of staged) expect((await conn.exec(['test', '-e', f])).rc).toBe(1);
    } finally {
      await conn.close();
    }
  });

  it('says which file could not be read', async () => {
    const conn = connect(t, node);
    try {
      await expect(conn.get('/var/lib/rancher/missing')).rejects.toThrow(/reading \/var\/lib\/rancher\/missing on /);
      await expect(conn.put('x', '/nonexistent-dir/f')).rejects.toThrow(/writing \/nonexistent-dir\/f on /);
    } finally {
      await conn.close();
    }
  });
});
