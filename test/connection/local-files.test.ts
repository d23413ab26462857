// put/get on the local connection: temp files private from their first byte, become writes and
// reads as the become user (through sudo), and bytes come back exactly as they are on disk.
import { watch } from 'node:fs';
import { chmod, chown, lstat, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import { ensureBecomeUsers, type BecomeUsers } from '../../sandbox/fleet/users.js';

let users: BecomeUsers;
let dir: string;
let uid: number;

/** The permission bits of every herdbook temp file seen in `dir` while `fn` runs. */
export async function tempModesDuring(d: string, fn: () => Promise<unknown>): Promise<number[]> {
  const modes: number[] = [];
  const w = watch(d, (_e, name) => {
    if (!name || !String(name).includes('herdbook')) return;
    try {
      modes.push(statSync(path.join(d, String(name))).mode & 0o777);
    } catch {
      /* already renamed */
    }
  });
  try {
    await fn();
    // Let the last events arrive.
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    w.close();
  }
  return modes;
}

const big = Buffer.alloc(8 * 1024 * 1024, 'k');
const allBytes = Buffer.from(Array.from({ length: 256 * 64 }, (_, i) => i % 256));

beforeAll(async () => {
  users = await ensureBecomeUsers();
  dir = await mkdtemp(path.join(tmpdir(), 'hb-local-files-'));
  uid = Number((await import('node:child_process')).execFileSync('id', ['-u', users.nopasswd]).toString().trim());
  // The become user's own directory: it may write here, others may only read.
  await chown(dir, uid, uid);
  await chmod(dir, 0o755);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('local put', () => {
  it('never lets others read the temp file of a 0600 file, not even while it is written', async () => {
    const conn = new LocalConnection('local');
    const dest = path.join(dir, 'kubeconfig');
    const modes = await tempModesDuring(dir, () => conn.put(big, dest, { mode: '0600' }));
    expect(modes.length).toBeGreaterThan(0);
    expect(modes.filter((m) => m & 0o077)).toEqual([]);
    expect((await stat(dest)).mode & 0o777).toBe(0o600);
    expect((await readFile(dest)).equals(big)).toBe(true);
  });

  it('keeps the mode of the file it replaces when none is given', async () => {
    const conn = new LocalConnection('local');
    const dest = path.join(dir, 'private-already');
    await writeFile(dest, 'old', { mode: 0o640 });
    await conn.put('new', dest);
    expect((await stat(dest)).mode & 0o777).toBe(0o640);
    await conn.put('newer', path.join(dir, 'fresh'));
    expect((await stat(path.join(dir, 'fresh'))).mode & 0o777).toBe(0o644);
  });

  it('with become, the become user writes the file (through sudo), privately until its mode is set', async () => {
    expect(userInfo().uid).toBe(0);
    const conn = new LocalConnection('local');
    const dest = path.join(dir, 'as-user.key');
    const modes = await tempModesDuring(dir, () =>
      conn.put(big, dest, { mode: '0600', become: true, becomeUser: users.nopasswd }),
    );
    expect(modes.filter((m) => m & 0o077)).toEqual([]);
    const st = await lstat(dest);
    expect(st.uid).toBe(uid);
    expect(st.mode & 0o777).toBe(0o600);
    expect((await readFile(dest)).equals(big)).toBe(true);
  });

  it('with become, a directory the become user may not write fails with the reason', async () => {
    const rootOnly = await mkdtemp(path.join(tmpdir(), 'hb-root-only-'));
    try {
      const conn = new LocalConnection('local');
      await expect(
        conn.put('x', path.join(rootOnly, 'f'), { become: true, becomeUser: users.nopasswd }),
      ).rejects.toThrow(new RegExp(`writing ${rootOnly}/f as ${users.nopasswd}: .*Permission denied`));
    } finally {
      await rm(rootOnly, { recursive: true, force: true });
    }
  });
});

describe('local get with become', () => {
  it('returns every byte 0..255 unchanged, with sudo that asks and sudo that does not', async () => {
    const src = path.join(dir, 'all-bytes.bin');
    await writeFile(src, allBytes, { mode: 0o644 });
    const asRoot = await new LocalConnection('local').get(src, { become: true });
    expect(asRoot.equals(allBytes)).toBe(true);
    const nopasswd = await new LocalConnection('local').get(src, { become: true, becomeUser: users.nopasswd });
    expect(nopasswd.equals(allBytes)).toBe(true);
    const passwd = await new LocalConnection('local', { becomePassword: users.password }).get(src, {
      become: true,
      becomeUser: users.passwd,
    });
    expect(passwd.equals(allBytes)).toBe(true);
  });

  it('says why a file cannot be read', async () => {
    const secret = path.join(dir, 'root-only');
    await writeFile(secret, 'x', { mode: 0o600 });
    await chown(secret, 0, 0);
    await expect(
      new LocalConnection('local').get(secret, { become: true, becomeUser: users.nopasswd }),
    ).rejects.toThrow(/cannot read .*root-only: .*Permission denied/);
  });
});
