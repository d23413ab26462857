import { existsSync, lstatSync, mkdirSync, readlinkSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { file } from '../../modules/host/file.js';
import { parseTree } from '../../modules/host/file.js';
import { modeBits } from '../../modules/host/mode.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(file, path.join(import.meta.dirname, 'file'));

const modeOf = (p: string) => statSync(p).mode & 0o7777;

describe('parseTree', () => {
  it('reads NUL-separated entries, names with spaces and newlines intact', () => {
    const out = '81a4 0 0 root root /a/b c\n d\u000041ed 1000 1000 k3s k3s /a/dir\u0000';
    expect(parseTree(out)).toEqual([
      { path: '/a/b c\n d', type: 'file', mode: '0644', uid: 0, gid: 0, owner: 'root', group: 'root' },
      { path: '/a/dir', type: 'directory', mode: '0755', uid: 1000, gid: 1000, owner: 'k3s', group: 'k3s' },
    ]);
  });
});

describe('file on the local connection', () => {
  const tmp = localTemp('file');
  const { connection } = tmp;

  it('directory: check mode creates nothing; then creates parents with the mode, idempotently', async () => {
    const p = tmp.at('a', 'b', 'c');
    const args = { path: p, state: 'directory', mode: '0750' };
    const check = await runModule(file, args, { connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`create directory ${tmp.at('a')}, ${tmp.at('a', 'b')}, ${p} (mode 0750)`]);
    expect(existsSync(tmp.at('a'))).toBe(false);
    expect((await runModule(file, args, { connection })).status).toBe('changed');
    expect([modeOf(tmp.at('a')), modeOf(tmp.at('a', 'b')), modeOf(p)]).toEqual([0o750, 0o750, 0o750]);
    expect((await runModule(file, args, { connection })).status).toBe('ok');
  });

  it('recurse applies a symbolic mode per entry (X only on directories) and then settles', async () => {
    const root = tmp.at('tree');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    writeFileSync(path.join(root, 'sub', 'plain'), 'x');
    writeFileSync(path.join(root, 'exe'), 'x', { mode: 0o755 });
    const args = { path: root, state: 'directory', recurse: true, mode: 'u=rwX,g=rX,o=' };
    const check = await runModule(file, args, { connection }, { check: true });
    expect(check.changes).toEqual([
      `set mode 0755 → 0750 on ${root}`,
      `set mode/owner/group on 3 entries under ${root}`,
    ]);
    expect(modeOf(path.join(root, 'sub', 'plain'))).toBe(0o644);
    const r = await runModule(file, args, { connection });
    expect(r.status).toBe('changed');
    expect(modeOf(path.join(root, 'sub'))).toBe(0o750);
    expect(modeOf(path.join(root, 'sub', 'plain'))).toBe(0o640);
    expect(modeOf(path.join(root, 'exe'))).toBe(0o750);
    expect((await runModule(file, args, { connection })).status).toBe('ok');
  });

  it('touch creates once, then keeps the times of the existing file', async () => {
    const p = tmp.at('flag');
    expect((await runModule(file, { path: p, state: 'touch' }, { connection }, { check: true })).status).toBe(
      'changed',
    );
    expect(existsSync(p)).toBe(false);
    expect((await runModule(file, { path: p, state: 'touch' }, { connection })).status).toBe('changed');
    utimesSync(p, 1000, 1000);
    const again = await runModule(file, { path: p, state: 'touch' }, { connection });
    expect(again.status).toBe('ok');
    expect(statSync(p).mtimeMs).toBe(1000 * 1000);
    const mode = await runModule(file, { path: p, state: 'touch', mode: '0600' }, { connection });
    expect(mode.status).toBe('changed');
    expect(modeOf(p)).toBe(0o600);
    expect(statSync(p).mtimeMs).toBe(1000 * 1000);
  });

  it('link: creates, retargets, refuses to replace a file without force', async () => {
    const target = tmp.at('k3s');
    writeFileSync(target, 'bin');
    const link = tmp.at('kubectl');
    expect((await runModule(file, { path: link, state: 'link', src: 'k3s' }, { connection })).status).toBe('changed');
    expect(readlinkSync(link)).toBe('k3s');
    expect((await runModule(file, { path: link, state: 'link', src: 'k3s' }, { connection })).status).toBe('ok');
    writeFileSync(tmp.at('other'), 'x');
    expect((await runModule(file, { path: link, state: 'link', src: 'other' }, { connection })).status).toBe('changed');
    expect(readlinkSync(link)).toBe('other');
    const plain = tmp.at('plain');
    writeFileSync(plain, 'x');
    const refused = await runModule(file, { path: plain, state: 'link', src: target }, { connection });
    expect(refused.status).toBe('failed');
    expect(lstatSync(plain).isFile()).toBe(true);
    expect(
      (await runModule(file, { path: plain, state: 'link', src: target, force: true }, { connection })).status,
    ).toBe('changed');
    expect(readlinkSync(plain)).toBe(target);
  });

  it('hard: links the same inode, idempotently', async () => {
    const src = tmp.at('hsrc');
    writeFileSync(src, 'x');
    const p = tmp.at('hlink');
    expect((await runModule(file, { path: p, state: 'hard', src }, { connection })).status).toBe('changed');
    expect(statSync(p).ino).toBe(statSync(src).ino);
    expect((await runModule(file, { path: p, state: 'hard', src }, { connection })).status).toBe('ok');
  });

  it('absent removes a directory tree; check mode leaves it', async () => {
    const root = tmp.at('gone');
    mkdirSync(path.join(root, 'deep'), { recursive: true });
    writeFileSync(path.join(root, 'deep', 'f'), 'x');
    expect((await runModule(file, { path: root, state: 'absent' }, { connection }, { check: true })).status).toBe(
      'changed',
    );
    expect(existsSync(root)).toBe(true);
    expect((await runModule(file, { path: root, state: 'absent' }, { connection })).status).toBe('changed');
    expect(existsSync(root)).toBe(false);
    expect((await runModule(file, { path: root, state: 'absent' }, { connection })).status).toBe('ok');
  });
});

describe('file over real sshd', () => {
  const h = fleetHost('file-node');

  it('creates a directory owned by another user, recurses an owner change, and settles', async () => {
    const user = h.t.fleet.users.nopasswd;
    const root = '/var/lib/rancher/data';
    const args = { path: `${root}/server`, state: 'directory', owner: user, mode: '0700' };
    const check = await runModule(file, args, { connection: h.connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(existsSync(h.local(root))).toBe(false);
    expect((await runModule(file, args, { connection: h.connection })).status).toBe('changed');
    const uid = Number((await h.connection.exec(['id', '-u', user])).stdout.trim());
    expect(statSync(h.local(root)).uid).toBe(uid);
    expect(statSync(h.local(`${root}/server`)).uid).toBe(uid);
    expect(modeOf(h.local(`${root}/server`))).toBe(0o700);
    expect((await runModule(file, args, { connection: h.connection })).status).toBe('ok');

    writeFileSync(h.local(`${root}/server/token`), 'secret');
    writeFileSync(h.local(`${root}/server/odd name;$(x)`), 'x');
    const rec = { path: root, state: 'directory', recurse: true, owner: 'root', group: 'root' };
    const r = await runModule(file, rec, { connection: h.connection });
    expect(r.changes).toEqual([`set owner ${user} → root on ${root}`, `set mode/owner/group on 1 entry under ${root}`]);
    expect(statSync(h.local(`${root}/server`)).uid).toBe(0);
    expect((await runModule(file, rec, { connection: h.connection })).status).toBe('ok');
  });

  it('makes a symlink and removes it', async () => {
    await h.connection.exec(['sh', '-c', 'echo bin > /usr/local/bin/k3s']);
    const link = { path: '/usr/local/bin/kubectl', state: 'link', src: 'k3s' };
    expect((await runModule(file, link, { connection: h.connection })).status).toBe('changed');
    expect(readlinkSync(h.local('/usr/local/bin/kubectl'))).toBe('k3s');
    expect((await runModule(file, link, { connection: h.connection })).status).toBe('ok');
    expect(
      (await runModule(file, { path: '/usr/local/bin/kubectl', state: 'absent' }, { connection: h.connection })).status,
    ).toBe('changed');
    expect(existsSync(h.local('/usr/local/bin/k3s'))).toBe(true);
    expect(() => lstatSync(h.local('/usr/local/bin/kubectl'))).toThrow();
  });
});

describe('modeBits', () => {
  it.each([
    ['0644', 0o644, false, 0o644],
    ['644', 0, false, 0o644],
    ['02775', 0, true, 0o2775],
    [0o640, 0, false, 0o640],
    ['u=rwX,g=rX,o=', 0o644, false, 0o640],
    ['u=rwX,g=rX,o=', 0o600, true, 0o750],
    ['u=rwX,g=rX,o=', 0o744, false, 0o750],
    ['a+x', 0o644, false, 0o755],
    ['go-rwx', 0o755, false, 0o700],
    ['g=u', 0o640, false, 0o660],
    ['u+s,+t', 0o755, false, 0o5755],
    ['o=', 0o2775, true, 0o2770],
  ] as const)('%s on %o (dir: %s) → %o', (spec, current, isDir, want) => {
    expect(modeBits(spec, current, isDir)).toBe(want);
  });

  it('refuses a decimal number and nonsense, saying how to write it', () => {
    expect(() => modeBits(644, 0, false)).toThrow(
      "mode 644 is the decimal number 644 (octal 1204); quote it: mode: '0644'",
    );
    expect(() => modeBits('rwxr-xr-x', 0, false)).toThrow(/use octal/);
  });
});
