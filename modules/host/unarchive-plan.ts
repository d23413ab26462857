// unarchive's decisions, as ansible-core 2.14 makes them (pure): for tar, which lines of
// `tar --diff` mean dest differs (the reference's regular expressions, with its exceptions for
// what owner/group/mode will set anyway); for zip, each member against what dest has (type, size,
// content, mtime, mode, owner, group) with the reference's itemized diff lines; then, when
// nothing needs unpacking, the mode/owner/group each unpacked path and top folder still needs.
import { planAttrs, sameId, type AttrArgs, type AttrChange, type AttrState } from './attrs.js';
import { formatMode } from './mode.js';

export type Handler = 'ZipArchive' | 'TgzArchive' | 'TarArchive' | 'TarBzipArchive' | 'TarXzArchive' | 'TarZstdArchive';

export type UnarchiveArgs = AttrArgs & {
  src: string;
  dest: string;
  remote_src: boolean;
  copy?: boolean;
  creates?: string;
  list_files: boolean;
  keep_newer: boolean;
  exclude: string[];
  include: string[];
  extra_opts: string[];
  validate_certs: boolean;
  decrypt: boolean;
  io_buffer_size: number;
};

/** A path under dest as the host has it (missing: lstat failed). */
export type DestEntry =
  | { missing: true }
  | {
      missing?: false;
      type: 'file' | 'directory' | 'link' | 'other';
      size: number;
      mtime: number;
      mode: string;
      uid: number;
      gid: number;
      owner: string;
      group: string;
      /** Regular files of a zip: the member's bytes equal the file's (unzip -p | cmp). */
      same?: boolean;
    };

/** One line of `unzip -Z -T -s` (zipinfo), with its mtime as the host's local time reads it. */
export type ZipMember = { perm: string; size: number; mtime: number; path: string; dest: DestEntry };

export type RunUser = { uid: number; gid: number; user: string; group: string; umask: number };

export type UnarchiveState = {
  /** creates exists: nothing is done. */
  skip?: string;
  /** Check mode: what an earlier task would make (the archive, dest) is not there yet. */
  pending?: string;
  /** The archive on the host (a private temp copy unless remote_src). */
  src: string;
  handler: Handler;
  /** The reference's files_in_archive (members minus excludes). */
  files: string[];
  tarDiff?: { rc: number; out: string; err: string };
  zip?: ZipMember[];
  run: RunUser;
  /** Each of files (and their top folders) under dest, for mode/owner/group. */
  attrs: Record<string, DestEntry>;
  /** dest's own stat, for the result (Ansible adds it as for any path it returns). */
  destInfo: Record<string, unknown>;
};

export type UnarchiveChange = { kind: 'extract'; summary: string } | AttrChange;

const OWNER_DIFF = /: Uid differs$/;
const GROUP_DIFF = /: Gid differs$/;
const MODE_DIFF = /: Mode differs$/;
const MTIME_DIFF = /: Mod time differs$/;
const EMPTY_FILE = /: : Warning: Cannot stat: No such file or directory$/;
const MISSING = /: Warning: Cannot stat: No such file or directory$/;
const INVALID_OWNER = /: Invalid owner/;
const INVALID_GROUP = /: Invalid group/;

/** The `tar --diff` lines that count (empty: dest holds the archive). */
export function tarDifferences(d: { out: string; err: string }, args: UnarchiveArgs, runUid: number): string[] {
  const lines = [...d.out.split('\n'), ...d.err.split('\n')].filter((l) => l !== '');
  const out: string[] = [];
  for (const l of lines) {
    if (EMPTY_FILE.test(l)) continue;
    // The reference appends a line once per pattern it matches: the count does not matter, only emptiness.
    if (runUid === 0 && args.owner === undefined && OWNER_DIFF.test(l)) out.push(l);
    if (runUid === 0 && args.group === undefined && GROUP_DIFF.test(l)) out.push(l);
    if (args.mode === undefined && MODE_DIFF.test(l)) out.push(l);
    if (MTIME_DIFF.test(l) || MISSING.test(l) || INVALID_OWNER.test(l) || INVALID_GROUP.test(l)) out.push(l);
  }
  return out;
}

/** rwxr-xr-x → 0755 (the reference ignores s/t bits: unzip cannot set them). */
export function permToMode(perm: string, umask: number): string {
  const rev = [...perm].reverse();
  let mode = 0;
  for (let i = 0; i < 9; i++) if ('rwxst'.includes(rev[i])) mode += 2 ** i;
  return formatMode(mode & ~umask);
}

/** The zip members that differ from dest, as the reference's itemized diff lines (`>f++++++.?? a.txt`). */
export function zipDifferences(members: ZipMember[], args: UnarchiveArgs, run: RunUser): string[] {
  const diff: string[] = [];
  for (const m of members) {
    if (args.exclude.includes(m.path)) continue;
    let perm = m.perm.slice(1);
    const ftype = m.path.endsWith('/') ? 'd' : m.perm[0] === 'l' ? 'L' : 'f';
    let umask = 0;
    if (perm.length === 6) {
      perm = m.path.endsWith('/') ? 'rwxrwxrwx' : perm === 'rwx---' ? 'rwxrwxrwx' : 'rw-rw-rw-';
      umask = run.umask;
    }
    const d = m.dest;
    if (d.missing) {
      diff.push(`>${ftype}++++++.?? ${m.path}`);
      continue;
    }
    const want = ftype === 'd' ? 'directory' : ftype === 'L' ? 'link' : 'file';
    if (d.type !== want) {
      diff.push(`c${ftype}++++++.?? ${m.path}`);
      continue;
    }
    const it = [...`.${ftype}.......??`];
    let change = false;
    if (d.type === 'file') {
      if (args.keep_newer) {
        if (m.mtime > d.mtime) [change, it[4]] = [true, 't'];
        else if (m.mtime < d.mtime) continue;
      } else if (m.mtime !== d.mtime) [change, it[4]] = [true, 't'];
      if (m.size !== d.size) [change, it[3]] = [true, 's'];
      if (d.same === false) [change, it[2]] = [true, 'c'];
    }
    if (ftype !== 'L') {
      const mode =
        args.mode !== undefined
          ? (planAttrs({ ...d, path: m.path }, { mode: args.mode })?.mode ?? d.mode)
          : permToMode(perm, m.perm[0] === '?' ? 0 : umask);
      if (mode !== d.mode) [change, it[5]] = [true, 'p'];
    }
    const owner = args.owner === undefined ? run.user : String(args.owner);
    if (!sameId(owner, d.owner, d.uid)) [change, it[6]] = [true, 'o'];
    const group = args.group === undefined ? run.group : String(args.group);
    if (!sameId(group, d.group, d.gid)) [change, it[6]] = [true, 'g'];
    if (change) diff.push(`${it.join('')} ${m.path}`);
  }
  return diff;
}

/** files_in_archive, then each top folder (the reference sets their attributes too: ansible#35426). */
export function attrPaths(files: readonly string[]): string[] {
  const tops = [...new Set(files.filter((f) => f.includes('/')).map((f) => f.split('/')[0]))];
  return [...files, ...tops];
}

export function decideUnarchive(s: UnarchiveState, args: UnarchiveArgs): { changes: UnarchiveChange[]; diff?: string } {
  let differences: string[];
  let diff: string | undefined;
  if (s.handler === 'ZipArchive') {
    differences = zipDifferences(s.zip ?? [], args, s.run);
    diff = differences.length ? differences.map((l) => `${l}\n`).join('') : undefined;
  } else differences = tarDifferences(s.tarDiff ?? { out: '', err: '' }, args, s.run.uid);
  if (differences.length) {
    const n = differences.length;
    return {
      changes: [
        { kind: 'extract', summary: `unpack ${s.src} into ${args.dest} (${n} difference${n === 1 ? '' : 's'})` },
      ],
      diff,
    };
  }
  const changes: UnarchiveChange[] = [];
  if (args.mode !== undefined || args.owner !== undefined || args.group !== undefined) {
    const seen = new Set<string>();
    for (const f of attrPaths(s.files)) {
      const p = `${args.dest.replace(/\/+$/, '')}/${f.replace(/\/+$/, '')}`;
      const d = s.attrs[f];
      if (seen.has(p) || !d || d.missing) continue;
      seen.add(p);
      const st: AttrState = {
        path: p,
        type: d.type,
        mode: d.mode,
        uid: d.uid,
        gid: d.gid,
        owner: d.owner,
        group: d.group,
      };
      const c = planAttrs(st, args, { noFollow: d.type === 'link' });
      if (c) changes.push(c);
    }
  }
  return { changes, diff };
}
