// find on this machine's real files (the local connection, GNU find): Ansible's order (a
// directory's files, then its directories), its filters and counts, stat's keys for each file.
import { mkdirSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { find } from '../../modules/host/find.js';
import { parseAge, parseSize } from '../../modules/host/find-walk.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { localTemp } from './host-helpers.js';

planFixtures(find, path.join(import.meta.dirname, 'find'));

describe('find on real files', () => {
  const t = localTemp('find');
  beforeAll(() => {
    mkdirSync(t.at('snap/old'), { recursive: true });
    mkdirSync(t.at('snap/.cache'));
    writeFileSync(t.at('snap/etcd-snapshot-1'), 'a'.repeat(2048));
    writeFileSync(t.at('snap/etcd-snapshot-2'), 'token: abc\nname: x\n');
    writeFileSync(t.at('snap/notes.txt'), 'hello\n');
    writeFileSync(t.at('snap/.hidden-snapshot'), '');
    writeFileSync(t.at('snap/old/etcd-snapshot-0'), 'old\n');
    writeFileSync(t.at('snap/.cache/etcd-snapshot-c'), 'c\n');
    symlinkSync('etcd-snapshot-1', t.at('snap/latest'));
    const weekAgo = Date.now() / 1000 - 8 * 86400;
    utimesSync(t.at('snap/old/etcd-snapshot-0'), weekAgo, weekAgo);
    utimesSync(t.at('snap/etcd-snapshot-1'), weekAgo, weekAgo);
  });
  const names = (r: { data: Record<string, unknown> }) =>
    (r.data.files as { path: string }[]).map((f) => path.relative(t.dir, f.path)).sort();
  const run = (args: Record<string, unknown>) =>
    runModule(find, { paths: t.at('snap'), ...args }, { connection: t.connection });

  it('patterns, hidden, recurse (hidden directories are still walked), and the counts', async () => {
    const top = await run({ patterns: 'etcd-snapshot-*' });
    expect(top.status).toBe('ok');
    expect(names(top)).toEqual(['snap/etcd-snapshot-1', 'snap/etcd-snapshot-2']);
    expect(top.data).toMatchObject({ matched: 2, examined: 7, msg: 'All paths examined', skipped_paths: {} });
    const all = await run({ patterns: ['etcd-snapshot-*'], recurse: true });
    expect(names(all)).toEqual([
      'snap/.cache/etcd-snapshot-c',
      'snap/etcd-snapshot-1',
      'snap/etcd-snapshot-2',
      'snap/old/etcd-snapshot-0',
    ]);
    expect(all.data.examined).toBe(9);
    expect(names(await run({ hidden: true, patterns: '*snapshot*' }))).toEqual([
      'snap/.hidden-snapshot',
      'snap/etcd-snapshot-1',
      'snap/etcd-snapshot-2',
    ]);
  });

  it('age, size, contains, excludes, regex, file types; each file with stat’s keys', async () => {
    expect(names(await run({ age: '7d', recurse: true }))).toEqual([
      'snap/etcd-snapshot-1',
      'snap/old/etcd-snapshot-0',
    ]);
    expect(names(await run({ age: '-1d' }))).toEqual(['snap/etcd-snapshot-2', 'snap/notes.txt']);
    expect(names(await run({ size: '1k' }))).toEqual(['snap/etcd-snapshot-1']);
    expect(names(await run({ contains: 'token:' }))).toEqual(['snap/etcd-snapshot-2']);
    // re.match per line: from the line's start.
    expect(names(await run({ contains: 'abc' }))).toEqual([]);
    expect(names(await run({ contains: 'abc', read_whole_file: true }))).toEqual(['snap/etcd-snapshot-2']);
    expect(names(await run({ patterns: '*', excludes: ['*.txt', 'etcd-snapshot-1'] }))).toEqual([
      'snap/etcd-snapshot-2',
    ]);
    expect(names(await run({ patterns: 'etcd-snapshot-\\d$', use_regex: true }))).toEqual([
      'snap/etcd-snapshot-1',
      'snap/etcd-snapshot-2',
    ]);
    expect(names(await run({ file_type: 'directory' }))).toEqual(['snap/old']);
    const link = await run({ file_type: 'link' });
    expect(names(link)).toEqual(['snap/latest']);
    const sum = await run({ patterns: 'notes.txt', get_checksum: true });
    const f = (sum.data.files as Record<string, unknown>[])[0];
    expect(f).toMatchObject({
      isreg: true,
      islnk: false,
      isdir: false,
      mode: '0644',
      size: 6,
      pw_name: 'root',
      rusr: true,
      wusr: true,
      xusr: false,
      roth: true,
      checksum: 'f572d396fae9206628714fb2ce00f72e94f2258f',
    });
    expect(Object.keys(f).sort()).toEqual(
      [
        'path',
        'mode',
        'isdir',
        'ischr',
        'isblk',
        'isreg',
        'isfifo',
        'islnk',
        'issock',
        'uid',
        'gid',
        'size',
        'inode',
        'dev',
        'nlink',
        'atime',
        'mtime',
        'ctime',
        'gr_name',
        'pw_name',
        'wusr',
        'rusr',
        'xusr',
        'wgrp',
        'rgrp',
        'xgrp',
        'woth',
        'roth',
        'xoth',
        'isuid',
        'isgid',
        'checksum',
      ].sort(),
    );
  });

  it('a path that is not a directory is skipped with Ansible’s words; a bad age fails', async () => {
    const r = await runModule(
      find,
      { paths: [t.at('snap/notes.txt'), t.at('snap/old')] },
      { connection: t.connection },
    );
    expect(r.status).toBe('ok');
    expect(r.data).toMatchObject({
      matched: 1,
      msg: 'Not all paths examined, check warnings for details',
      skipped_paths: { [t.at('snap/notes.txt')]: `'${t.at('snap/notes.txt')}' is not a directory` },
    });
    expect(parseAge('2D')).toBe(172800);
    expect(parseSize('-1m')).toBe(-1048576);
    expect(parseAge('soon')).toBeUndefined();
  });
});
