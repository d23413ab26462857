// file's plan, per state: pure, from what the host has (path, link source, the tree under a
// directory for recurse) to the changes. Ansible's rules and wording where it has them.
import path from 'node:path';
import type { Plan } from '../../engine/index-module.js';
import { idArg, planAttrs, wantedMode, type AttrArgs, type AttrChange, type AttrState } from './attrs.js';
import { pendingNote } from './check-note.js';
import { missingDirs, type RemoteFile } from './remote-file.js';

export type FileStateName = 'file' | 'directory' | 'link' | 'hard' | 'absent' | 'touch';

export type FileArgs = AttrArgs & {
  path?: string;
  dest?: string;
  name?: string;
  state?: FileStateName;
  src?: string;
  recurse: boolean;
  force: boolean;
  follow: boolean;
};

export type TreeEntry = AttrState;

export type FileState = {
  file: RemoteFile;
  /** link/hard: the source as seen from the link's directory. */
  src?: RemoteFile;
  /** directory + recurse: everything below it except symlinks. */
  tree?: TreeEntry[];
  check?: boolean;
};

type NewAttrs = { mode?: string; owner?: string; group?: string };

export type FileChange =
  | { kind: 'remove'; summary: string; path: string }
  | ({ kind: 'mkdir'; summary: string; paths: string[] } & NewAttrs)
  | ({ kind: 'touch'; summary: string; path: string } & NewAttrs)
  | { kind: 'symlink'; summary: string; path: string; src: string; owner?: string; group?: string }
  | { kind: 'hardlink'; summary: string; path: string; src: string }
  | { kind: 'tree'; summary: string; groups: (NewAttrs & { paths: string[] })[] }
  | AttrChange;

export function targetPath(args: FileArgs): string {
  return (args.path ?? args.dest ?? args.name)!;
}

/** A link's source as the link sees it: relative sources start from the link's directory. */
export function linkSource(args: FileArgs): string | undefined {
  if (args.src === undefined) return undefined;
  return path.posix.isAbsolute(args.src) ? args.src : path.posix.join(path.posix.dirname(targetPath(args)), args.src);
}

const refuse = (msg: string): Plan<FileChange> => ({ changes: [], refuse: msg });

function newAttrs(args: FileArgs, isDir: boolean): NewAttrs {
  return { mode: wantedMode(args, undefined, isDir), owner: idArg(args.owner), group: idArg(args.group) };
}

function describeNew(a: NewAttrs): string {
  const parts = [a.mode && `mode ${a.mode}`, a.owner && `owner ${a.owner}`, a.group && `group ${a.group}`].filter(
    Boolean,
  );
  return parts.length ? ` (${parts.join(', ')})` : '';
}

function done(changes: FileChange[], p: string, state: string): Plan<FileChange> {
  return {
    changes,
    noop: changes.length
      ? undefined
      : `${p} is already ${state === 'absent' ? 'absent' : `in the wanted state (${state})`}`,
    data: { path: p, state },
  };
}

/** Attribute differences of every entry under a directory, grouped by the change they need. */
function planTree(root: string, tree: TreeEntry[], args: FileArgs): FileChange | undefined {
  const groups = new Map<string, NewAttrs & { paths: string[] }>();
  for (const e of tree) {
    const c = planAttrs(e, args);
    if (!c) continue;
    const key = `${c.mode ?? ''}|${c.owner ?? ''}|${c.group ?? ''}`;
    if (!groups.has(key)) groups.set(key, { mode: c.mode, owner: c.owner, group: c.group, paths: [] });
    groups.get(key)!.paths.push(e.path);
  }
  const n = [...groups.values()].reduce((s, g) => s + g.paths.length, 0);
  return n
    ? {
        kind: 'tree',
        summary: `set mode/owner/group on ${n} ${n === 1 ? 'entry' : 'entries'} under ${root}`,
        groups: [...groups.values()],
      }
    : undefined;
}

function planLink(st: FileState, args: FileArgs, p: string, hard: boolean): Plan<FileChange> {
  const { file, src } = st;
  const kind = hard ? 'hard link' : 'symlink';
  if (args.src === undefined) return refuse(`src is required for state=${hard ? 'hard' : 'link'}`);
  const source = linkSource(args)!;
  let note = '';
  if ((hard || !args.force) && src && !src.exists) {
    if (!st.check)
      return refuse(
        hard
          ? `src file does not exist: ${source}`
          : `src file does not exist, use force: true if you really want to create the link: ${source}`,
      );
    note = pendingNote(`${source} does not exist`);
  }
  const owner = idArg(args.owner);
  const group = idArg(args.group);
  if (!file.exists) {
    return done(
      [
        hard
          ? { kind: 'hardlink', summary: `create hard link ${p} → ${source}${note}`, path: p, src: source }
          : {
              kind: 'symlink',
              summary: `create symlink ${p} → ${args.src}${note}`,
              path: p,
              src: args.src,
              owner,
              group,
            },
      ],
      p,
      hard ? 'hard' : 'link',
    );
  }
  const same = hard
    ? file.type !== 'directory' && src?.exists && file.inode === src.inode && file.dev === src.dev
    : file.isLink && file.target === args.src;
  if (same) {
    const attrs = planAttrs(file, args, { noFollow: !hard });
    return done(attrs ? [attrs] : [], p, hard ? 'hard' : 'link');
  }
  if (file.type === 'directory' && !file.isLink)
    return refuse(`${p} is a directory: remove it first to make it a ${kind}`);
  if (!file.isLink && !args.force)
    return refuse(`refusing to convert from ${file.type} to ${kind} for ${p}: use force: true`);
  const was = file.isLink ? `symlink → ${file.target}` : file.type;
  return done(
    [
      hard
        ? { kind: 'hardlink', summary: `replace ${p} (${was}) with a hard link → ${source}`, path: p, src: source }
        : {
            kind: 'symlink',
            summary: `replace ${p} (${was}) with a symlink → ${args.src}`,
            path: p,
            src: args.src,
            owner,
            group,
          },
    ],
    p,
    hard ? 'hard' : 'link',
  );
}

export function planFile(st: FileState, args: FileArgs): Plan<FileChange> {
  const p = targetPath(args);
  const { file } = st;
  const current = file.exists ? (file.isLink && file.type === 'link' ? 'link' : file.type) : undefined;
  const state =
    args.state ??
    (args.recurse ? 'directory' : current === 'link' ? 'link' : current === 'directory' ? 'directory' : 'file');
  switch (state) {
    case 'absent':
      if (path.posix.normalize(p) === '/') return refuse('refusing to remove /');
      if (!file.exists) return done([], p, 'absent');
      return done(
        [
          {
            kind: 'remove',
            summary: `remove ${p}${file.type === 'directory' && !file.isLink ? ' (directory, recursively)' : ''}`,
            path: p,
          },
        ],
        p,
        'absent',
      );
    case 'file': {
      if (
        !file.exists &&
        st.check &&
        (args.mode !== undefined || args.owner !== undefined || args.group !== undefined)
      ) {
        return done(
          [{ kind: 'attrs', summary: `set attributes on ${p}${pendingNote(`${p} does not exist`)}`, path: p }],
          p,
          'file',
        );
      }
      if (!file.exists) return refuse(`file ${p} is absent, cannot continue`);
      if (file.type === 'directory') return refuse(`${p} is a directory, not a file`);
      const attrs = planAttrs(file, args, { noFollow: file.type === 'link' });
      return done(attrs ? [attrs] : [], p, 'file');
    }
    case 'touch': {
      if (!file.exists) {
        if (!file.ancestorIsDir || file.missing > 1)
          return refuse(`cannot touch ${p}: ${path.posix.dirname(p)} does not exist`);
        const a = newAttrs(args, false);
        return done([{ kind: 'touch', summary: `create ${p}${describeNew(a)}`, path: p, ...a }], p, 'touch');
      }
      // Times are preserved (Ansible's access_time/modification_time: preserve): only attributes count.
      const attrs = planAttrs(file, args, { noFollow: file.type === 'link' });
      return done(attrs ? [attrs] : [], p, 'touch');
    }
    case 'directory': {
      const changes: FileChange[] = [];
      if (!file.exists) {
        if (!file.ancestorIsDir) return refuse(`cannot create directory ${p}: a parent is not a directory`);
        const a = newAttrs(args, true);
        const dirs = missingDirs(file, true);
        changes.push({
          kind: 'mkdir',
          summary: `create directory ${dirs.join(', ')}${describeNew(a)}`,
          paths: dirs,
          ...a,
        });
        return done(changes, p, 'directory');
      }
      if (file.type !== 'directory') return refuse(`${p} exists and is a ${file.type}, not a directory`);
      const attrs = planAttrs(file, args);
      if (attrs) changes.push(attrs);
      if (args.recurse && st.tree) {
        const tree = planTree(p, st.tree, args);
        if (tree) changes.push(tree);
      }
      return done(changes, p, 'directory');
    }
    case 'link':
    case 'hard':
      return planLink(st, args, p, state === 'hard');
  }
}
