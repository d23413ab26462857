import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copy } from '../../modules/host/copy.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { connect } from '../connection/ssh/fixture.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(copy, path.join(import.meta.dirname, 'copy'));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe('copy arguments', () => {
  it('refuses a decimal mode and a validate without %s before contacting any host', () => {
    expect(() => moduleArgs(copy, { content: 'x', dest: '/x', mode: 644 })).toThrow(/mode/);
    expect(() => moduleArgs(copy, { content: 'x', dest: '/x', validate: 'visudo -c' })).toThrow(/validate/);
    expect(moduleArgs(copy, { content: 'x', dest: '/x', mode: 0o644 })).toMatchObject({
      mode: 420,
      force: true,
      backup: false,
    });
  });
});

describe('copy on the local connection', () => {
  const tmp = localTemp('copy');
  const { connection } = tmp;

  it('check mode reports the creation and its diff, and writes nothing', async () => {
    const dest = tmp.at('check.conf');
    const r = await runModule(copy, { content: 'a=1\n', dest, mode: '0600' }, { connection }, { check: true });
    expect(r.status).toBe('changed');
    expect(r.changes).toEqual([`create ${dest} (4 bytes, mode 0600)`]);
    expect(r.diff).toEqual([{ path: dest, before: '', after: 'a=1\n' }]);
    expect(existsSync(dest)).toBe(false);
  });

  it('creates, then is idempotent; an update keeps a backup and shows the diff', async () => {
    const dest = tmp.at('app.conf');
    const first = await runModule(copy, { content: 'a=1\n', dest, mode: '0600' }, { connection });
    expect(first.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('a=1\n');
    expect(statSync(dest).mode & 0o7777).toBe(0o600);
    const again = await runModule(copy, { content: 'a=1\n', dest, mode: '0600' }, { connection });
    expect(again.status).toBe('ok');
    expect(again.msg).toBe(`${dest} is up to date`);

    const check = await runModule(copy, { content: 'a=2\n', dest, backup: true }, { connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('a=1\n');
    const upd = await runModule(copy, { content: 'a=2\n', dest, backup: true }, { connection });
    expect(upd.status).toBe('changed');
    expect(upd.diff).toEqual([{ path: dest, before: 'a=1\n', after: 'a=2\n' }]);
    // The existing mode is kept when none is asked.
    expect(statSync(dest).mode & 0o7777).toBe(0o600);
    const backup = upd.data.backup_file as string;
    expect(backup).toMatch(/app\.conf\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(readFileSync(backup, 'utf8')).toBe('a=1\n');
  });

  it('copies a binary src by checksum, without a diff, into a directory under its own name', async () => {
    const src = tmp.at('blob.bin');
    const data = Buffer.concat([Buffer.from([0, 1, 2, 255]), randomBytes(4096)]);
    writeFileSync(src, data);
    const out = tmp.at('out');
    await runModule(
      (await import('../../modules/host/file.js')).file,
      { path: out, state: 'directory' },
      { connection },
    );
    const r = await runModule(copy, { src, dest: `${out}/` }, { connection });
    expect(r.status).toBe('changed');
    expect(r.diff).toBeUndefined();
    expect(sha(readFileSync(path.join(out, 'blob.bin')))).toBe(sha(data));
    expect(r.data).toMatchObject({ dest: path.join(out, 'blob.bin'), checksum: sha(data), size: data.length });
    const again = await runModule(copy, { src, dest: out }, { connection });
    expect(again.status).toBe('ok');
  });

  it('finds a relative src in the playbook files/ directory', async () => {
    const base = tmp.at('play');
    await runModule(
      (await import('../../modules/host/file.js')).file,
      { path: `${base}/files`, state: 'directory' },
      { connection },
    );
    writeFileSync(`${base}/files/motd`, 'welcome\n');
    const dest = tmp.at('motd');
    const r = await runModule(copy, { src: 'files/motd', dest }, { connection, baseDir: base });
    expect(r.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('welcome\n');
    const missing = await runModule(copy, { src: 'files/none', dest }, { connection, baseDir: base });
    expect(missing.status).toBe('failed');
    expect(missing.msg).toMatch(/could not find src files\/none/);
  });

  it('a failing validate leaves dest untouched and no temp file behind', async () => {
    const dest = tmp.at('validated.conf');
    writeFileSync(dest, 'good\n');
    const r = await runModule(copy, { content: 'bad\n', dest, validate: 'grep -q good %s' }, { connection });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/failed to validate: grep -q good .*exited 1/);
    expect(readFileSync(dest, 'utf8')).toBe('good\n');
    expect(readdirSync(tmp.dir).filter((f) => f.includes('herdbook'))).toEqual([]);
    const ok = await runModule(copy, { content: 'good too\n', dest, validate: 'grep -q good %s' }, { connection });
    expect(ok.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe('good too\n');
  });

  it('force: false creates a missing file but leaves an existing one', async () => {
    const dest = tmp.at('keep.conf');
    expect((await runModule(copy, { content: 'first\n', dest, force: false }, { connection })).status).toBe('changed');
    const r = await runModule(copy, { content: 'second\n', dest, force: false }, { connection });
    expect(r.status).toBe('ok');
    expect(readFileSync(dest, 'utf8')).toBe('first\n');
  });

  it('follow: true writes through a symlink; without it the link is replaced', async () => {
    const target = tmp.at('real.conf');
    writeFileSync(target, 'old\n');
    const link = tmp.at('link.conf');
    symlinkSync(target, link);
    const r = await runModule(copy, { content: 'new\n', dest: link, follow: true }, { connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(target, 'utf8')).toBe('new\n');
    expect((await runModule(copy, { content: 'new\n', dest: link, follow: true }, { connection })).status).toBe('ok');
    const replaced = await runModule(copy, { content: 'new\n', dest: link }, { connection });
    expect(replaced.changes).toEqual([`replace the symlink ${link} (→ ${target}) with a file`]);
    expect(statSync(link).isFile()).toBe(true);
  });

  it('passes hostile file names and content through literally', async () => {
    const dest = tmp.at(`we'ird $(touch pwned) ;name`);
    const content = '$(id) `id` \' " \\ \n';
    const r = await runModule(copy, { content, dest }, { connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(dest, 'utf8')).toBe(content);
    expect(existsSync(tmp.at('pwned'))).toBe(false);
    expect(existsSync('pwned')).toBe(false);
  });
});

describe('copy over real sshd', () => {
  const h = fleetHost('copy-node');

  it('copies a large binary file intact, is idempotent, and check mode writes nothing', async () => {
    const tmp = path.join(h.t.dir, 'big.bin');
    const data = randomBytes(20 * 1024 * 1024 + 3);
    writeFileSync(tmp, data);
    const dest = '/var/lib/rancher/big.bin';
    const check = await runModule(
      copy,
      { src: tmp, dest, mode: '0600' },
      { connection: h.connection },
      { check: true },
    );
    expect(check.status).toBe('changed');
    expect(check.diff).toBeUndefined();
    expect(existsSync(h.local(dest))).toBe(false);
    const r = await runModule(copy, { src: tmp, dest, mode: '0600' }, { connection: h.connection });
    expect(r.status).toBe('changed');
    expect(sha(readFileSync(h.local(dest)))).toBe(sha(data));
    expect(statSync(h.local(dest)).mode & 0o7777).toBe(0o600);
    const again = await runModule(copy, { src: tmp, dest, mode: '0600' }, { connection: h.connection });
    expect(again.status).toBe('ok');
    // One changed byte is a change.
    data[12345] ^= 0xff;
    writeFileSync(tmp, data);
    const changed = await runModule(copy, { src: tmp, dest, mode: '0600' }, { connection: h.connection });
    expect(changed.status).toBe('changed');
    expect(changed.changes?.[0]).toMatch(/^update \/var\/lib\/rancher\/big\.bin \(sha256 /);
    expect(sha(readFileSync(h.local(dest)))).toBe(sha(data));
  });

  it('logs in as a sudo user and writes a root-only path with become', async () => {
    const conn = connect(h.t, 'copy-node', { user: h.t.fleet.users.nopasswd });
    try {
      const dest = '/etc/rancher/become.conf';
      const denied = await runModule(copy, { content: 'x\n', dest }, { connection: conn });
      expect(denied.status).toBe('failed');
      const r = await runModule(copy, { content: 'x\n', dest, mode: '0600' }, { connection: conn, become: true });
      expect(r.status).toBe('changed');
      expect(statSync(h.local(dest))).toMatchObject({ uid: 0, gid: 0 });
      expect(readFileSync(h.local(dest), 'utf8')).toBe('x\n');
      expect(
        (await runModule(copy, { content: 'x\n', dest, mode: '0600' }, { connection: conn, become: true })).status,
      ).toBe('ok');
    } finally {
      await conn.close();
    }
  });

  it('sets owner and group, and shows a text diff from the host', async () => {
    const dest = '/var/lib/rancher/owned.conf';
    const user = h.t.fleet.users.nopasswd;
    const r = await runModule(
      copy,
      { content: 'x=1\n', dest, owner: user, group: 'root', mode: '0640' },
      { connection: h.connection },
    );
    expect(r.status).toBe('changed');
    const uid = Number((await h.connection.exec(['id', '-u', user])).stdout.trim());
    expect(statSync(h.local(dest)).uid).toBe(uid);
    const upd = await runModule(
      copy,
      { content: 'x=2\n', dest, owner: user, group: 'root', mode: '0640' },
      { connection: h.connection },
      { check: true },
    );
    expect(upd.diff).toEqual([{ path: dest, before: 'x=1\n', after: 'x=2\n' }]);
    expect(readFileSync(h.local(dest), 'utf8')).toBe('x=1\n');
    expect(
      (
        await runModule(
          copy,
          { content: 'x=1\n', dest, owner: user, group: 'root', mode: '0640' },
          { connection: h.connection },
        )
      ).status,
    ).toBe('ok');
  });
});
