// find's walk, as ansible-core 2.14's find module walks (pure): os.walk's order (each directory's
// files, then its directories, in the order the directory lists them; then each directory's own
// walk), its filters (fnmatch or re.match on the name, age, size, hidden, depth, file_type) and
// its counts. The entries come from one `find -printf` on the host (find.ts).
import path from 'node:path';
import { fnmatchSource } from '../../engine/fnmatch.js';

/** One entry as find printed it: %y (lstat type), %Y (type through a symlink), and the stat fields. */
export type Entry = {
  path: string;
  type: string;
  followType: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
  inode: number;
  dev: number;
  nlink: number;
  atime: number;
  mtime: number;
  ctime: number;
  owner: string;
  group: string;
};

export type Root = { path: string; isDir: boolean; entries: Entry[] };

export type FindFilter = {
  patterns: RegExp[];
  excludes: RegExp[];
  fileType: 'file' | 'directory' | 'link' | 'any';
  age?: number;
  ageStamp: 'atime' | 'mtime' | 'ctime';
  size?: number;
  recurse: boolean;
  hidden: boolean;
  follow: boolean;
  depth?: number;
  now: number;
};

export function globPattern(glob: string): RegExp {
  return new RegExp(`^${fnmatchSource(glob)}$`, 's');
}

/** Ansible's age ('2d', '-1w', '30') in seconds, or undefined when it cannot be read. */
export function parseAge(text: string): number | undefined {
  const m = /^(-?\d+)(s|m|h|d|w)?$/.exec(text.toLowerCase());
  const unit: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
  return m ? Number(m[1]) * (m[2] ? unit[m[2]] : 1) : undefined;
}

/** Ansible's size ('10k', '-1m', '100') in bytes, or undefined when it cannot be read. */
export function parseSize(text: string): number | undefined {
  const m = /^(-?\d+)(b|k|m|g|t)?$/.exec(text.toLowerCase());
  const unit: Record<string, number> = { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  return m ? Number(m[1]) * (m[2] ? unit[m[2]] : 1) : undefined;
}

function nameMatches(name: string, f: FindFilter): boolean {
  for (const p of f.patterns) if (p.test(name)) return !f.excludes.some((e) => e.test(name));
  return false;
}

const ageOk = (e: Entry, f: FindFilter) =>
  f.age === undefined || (f.age >= 0 ? f.now - e[f.ageStamp] >= f.age : f.now - e[f.ageStamp] <= -f.age);
const sizeOk = (e: Entry, f: FindFilter) =>
  f.size === undefined || (f.size >= 0 ? e.size >= f.size : e.size <= -f.size);

export type Walked = { matched: Entry[]; examined: number; contentCandidates: Entry[] };

/** The entries that pass every filter but `contains` (checked on the host afterwards), in Ansible's order. */
export function walk(root: Root, f: FindFilter): Walked {
  const children = new Map<string, Entry[]>();
  for (const e of root.entries) {
    const parent = path.posix.dirname(e.path);
    children.set(parent, [...(children.get(parent) ?? []), e]);
  }
  const out: Walked = { matched: [], examined: 0, contentCandidates: [] };
  const top = path.posix.normalize(root.path).replace(/(.)\/+$/, '$1');
  const baseDepth = (top === '/' ? '/' : `${top}/`).split('/').length - 1;
  const visit = (dir: string) => {
    const list = children.get(dir) ?? [];
    out.examined += list.length;
    const files = list.filter((e) => e.followType !== 'd');
    const dirs = list.filter((e) => e.followType === 'd');
    let pruned = false;
    for (const e of [...files, ...dirs]) {
      if (f.depth && e.path.split('/').length - 1 - baseDepth + 1 > f.depth) {
        pruned = true;
        continue;
      }
      const name = path.posix.basename(e.path);
      if (name.startsWith('.') && !f.hidden) continue;
      if (!nameMatches(name, f) || !ageOk(e, f)) continue;
      if (f.fileType === 'any') {
        if (e.type !== 'f' || sizeOk(e, f)) out.matched.push(e);
      } else if (f.fileType === 'directory' && e.type === 'd') out.matched.push(e);
      else if (f.fileType === 'link' && e.type === 'l') out.matched.push(e);
      else if (f.fileType === 'file' && e.type === 'f' && sizeOk(e, f)) {
        out.matched.push(e);
        out.contentCandidates.push(e);
      }
    }
    if (!f.recurse || pruned) return;
    for (const d of dirs) if (d.type === 'd' || f.follow) visit(d.path);
  };
  visit(top);
  return out;
}

/** Ansible's statinfo for one entry (find.py's keys). */
export function fileInfo(e: Entry): Record<string, unknown> {
  const m = e.mode;
  return {
    path: e.path,
    mode: (m & 0o7777).toString(8).padStart(4, '0'),
    isdir: e.type === 'd',
    ischr: e.type === 'c',
    isblk: e.type === 'b',
    isreg: e.type === 'f',
    isfifo: e.type === 'p',
    islnk: e.type === 'l',
    issock: e.type === 's',
    uid: e.uid,
    gid: e.gid,
    size: e.size,
    inode: e.inode,
    dev: e.dev,
    nlink: e.nlink,
    atime: e.atime,
    mtime: e.mtime,
    ctime: e.ctime,
    gr_name: e.group,
    pw_name: e.owner,
    wusr: Boolean(m & 0o200),
    rusr: Boolean(m & 0o400),
    xusr: Boolean(m & 0o100),
    wgrp: Boolean(m & 0o020),
    rgrp: Boolean(m & 0o040),
    xgrp: Boolean(m & 0o010),
    woth: Boolean(m & 0o002),
    roth: Boolean(m & 0o004),
    xoth: Boolean(m & 0o001),
    isuid: Boolean(m & 0o4000),
    isgid: Boolean(m & 0o2000),
  };
}
