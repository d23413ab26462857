// find (ansible.builtin.find): files on the host by name, age, size, type and content; never
// changes anything. One `find -printf` per path gives every entry with its stat fields; the walk
// and filters are find-walk.ts (Ansible's order and rules); `contains` and get_checksum read only
// the files that passed the other filters, in one more round trip.
import { defineModule, ModuleError, type ModuleContext, type Change } from '../../engine/index-module.js';
import {
  fileInfo,
  globPattern,
  parseAge,
  parseSize,
  walk,
  type Entry,
  type FindFilter,
  type Root,
} from './find-walk.js';
import { pyRegex } from './py-regex.js';

export type FindArgs = {
  paths?: string[] | string;
  path?: string[] | string;
  name?: string[] | string;
  patterns?: string[] | string;
  pattern?: string[] | string;
  excludes?: string[] | string;
  exclude?: string[] | string;
  contains?: string;
  read_whole_file: boolean;
  file_type: 'file' | 'directory' | 'link' | 'any';
  age?: string;
  age_stamp: 'atime' | 'mtime' | 'ctime';
  size?: string;
  recurse: boolean;
  hidden: boolean;
  follow: boolean;
  get_checksum: boolean;
  use_regex: boolean;
  depth?: number;
};

export type FindState = { files: Record<string, unknown>[]; examined: number; skipped: Record<string, string> };

// $1 maxdepth ('' for none), $2 1 to follow symlinks, then the paths; records separated by NUL.
const SCRIPT = `
md=$1 L=
[ "$2" = 1 ] && L=-L
shift 2
printf '@now\\0%s\\0' "$(date +%s.%N)"
for p in "$@"; do
  printf '@path\\0%s\\0' "$p"
  if [ ! -d "$p" ]; then printf '@notdir\\0'; continue; fi
  find $L "$p" -mindepth 1 \${md:+-maxdepth "$md"} -printf '%y %Y %m %U %G %s %i %D %n %A@ %T@ %C@\\0%u\\0%g\\0%p\\0' 2>/dev/null
  printf '@end\\0'
done
`;

const list = (v: string[] | string | undefined) => (v === undefined ? [] : typeof v === 'string' ? v.split(',') : v);

export function parseFindOutput(stdout: string): { now: number; roots: Root[] } {
  const t = stdout.split('\0');
  let i = 0;
  let now = 0;
  const roots: Root[] = [];
  while (i < t.length) {
    const tag = t[i++];
    if (tag === '@now') now = Number(t[i++]);
    else if (tag === '@path') {
      const root: Root = { path: t[i++], isDir: t[i] !== '@notdir', entries: [] };
      roots.push(root);
      if (!root.isDir) {
        i++;
        continue;
      }
      while (i < t.length && t[i] !== '@end') {
        const [type, followType, mode, uid, gid, size, inode, dev, nlink, atime, mtime, ctime] = t[i].split(' ');
        root.entries.push({
          type,
          followType,
          mode: parseInt(mode, 8),
          uid: Number(uid),
          gid: Number(gid),
          size: Number(size),
          inode: Number(inode),
          dev: Number(dev),
          nlink: Number(nlink),
          atime: Number(atime),
          mtime: Number(mtime),
          ctime: Number(ctime),
          owner: t[i + 1],
          group: t[i + 2],
          path: t[i + 3].replace(/\/\/+/g, '/'),
        });
        i += 4;
      }
      i++;
    }
  }
  return { now, roots };
}

function filterOf(args: FindArgs, now: number): FindFilter {
  const patterns = list(args.patterns ?? args.pattern);
  const re = (p: string, what: string) => (args.use_regex ? pyRegex(`(?:${p})`, what) : globPattern(p));
  const age = args.age === undefined ? undefined : parseAge(args.age);
  if (args.age !== undefined && age === undefined) throw new ModuleError('failed to process age', { age: args.age });
  const size = args.size === undefined ? undefined : parseSize(args.size);
  if (args.size !== undefined && size === undefined)
    throw new ModuleError('failed to process size', { size: args.size });
  const anchored = (r: RegExp) => (args.use_regex ? new RegExp(`^(?:${r.source})`, r.flags) : r);
  return {
    patterns: (patterns.length ? patterns : [args.use_regex ? '.*' : '*']).map((p) => anchored(re(p, 'patterns'))),
    excludes: list(args.excludes ?? args.exclude).map((p) => anchored(re(p, 'excludes'))),
    fileType: args.file_type,
    age,
    ageStamp: args.age_stamp,
    size,
    recurse: args.recurse,
    hidden: args.hidden,
    follow: args.follow,
    depth: args.depth,
    now,
  };
}

// $1 whole-file flag; then the files: each as base64 on one line ('-' when unreadable).
const READ = `w=$1; shift; for f in "$@"; do c=$(base64 < "$f" 2>/dev/null | tr -d '\\n') && echo "$c" || echo -; done`;

async function keepContaining(ctx: ModuleContext, args: FindArgs, files: Entry[]): Promise<Set<string>> {
  const r = await ctx.exec(['/bin/sh', '-c', READ, 'herdbook-find', '0', ...files.map((f) => f.path)], {
    idempotent: true,
    maxBuffer: 256 * 1024 * 1024,
  });
  const lines = r.stdout.split('\n');
  // Line by line, re.match (from the line's start); the whole file, re.search.
  const prog = pyRegex(args.contains!, 'contains');
  const keep = new Set<string>();
  files.forEach((f, k) => {
    if (lines[k] === undefined || lines[k] === '-') return;
    const text = Buffer.from(lines[k], 'base64').toString('utf8');
    if (args.read_whole_file) {
      if (prog.test(text)) keep.add(f.path);
    } else if (text.split(/(?<=\n)/).some((l) => new RegExp(`^(?:${prog.source})`, prog.flags).test(l)))
      keep.add(f.path);
  });
  return keep;
}

async function sha1s(ctx: ModuleContext, files: string[]): Promise<Map<string, string>> {
  if (!files.length) return new Map();
  const r = await ctx.exec(['sha1sum', '--', ...files], { idempotent: true });
  const out = new Map<string, string>();
  for (const l of r.stdout.split('\n')) if (l) out.set(l.slice(42), l.slice(0, 40));
  return out;
}

async function inspect(ctx: ModuleContext, args: FindArgs): Promise<FindState> {
  const paths = list(args.paths ?? args.path ?? args.name);
  const maxDepth = !args.recurse ? '1' : args.depth ? String(args.depth + 1) : '';
  const r = await ctx.exec(['/bin/sh', '-c', SCRIPT, 'herdbook-find', maxDepth, args.follow ? '1' : '0', ...paths], {
    idempotent: true,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (r.rc !== 0) throw new ModuleError(`find failed: ${r.stderr.trim() || `exit ${r.rc}`}`);
  const { now, roots } = parseFindOutput(r.stdout);
  const filter = filterOf(args, now);
  const skipped: Record<string, string> = {};
  const matched: Entry[] = [];
  let examined = 0;
  for (const root of roots) {
    if (!root.isDir) {
      skipped[root.path] = `'${root.path}' is not a directory`;
      ctx.warn(`Skipped '${root.path}' path due to this access issue: '${root.path}' is not a directory`);
      continue;
    }
    const w = walk(root, filter);
    examined += w.examined;
    if (args.contains !== undefined && w.contentCandidates.length) {
      const keep = await keepContaining(ctx, args, w.contentCandidates);
      const candidates = new Set(w.contentCandidates);
      matched.push(...w.matched.filter((e) => !candidates.has(e) || keep.has(e.path)));
    } else matched.push(...w.matched);
  }
  const sums = args.get_checksum
    ? await sha1s(
        ctx,
        matched.filter((e) => e.type === 'f').map((e) => e.path),
      )
    : new Map<string, string>();
  const files = matched.map((e) => ({ ...fileInfo(e), ...(sums.has(e.path) ? { checksum: sums.get(e.path) } : {}) }));
  return { files, examined, skipped };
}

export const find = defineModule<FindArgs, FindState, Change>({
  name: 'find',
  schema: 'find',
  runsOn: 'host',
  predictable: true,
  inspect,
  plan(state) {
    const msg = Object.keys(state.skipped).length
      ? 'Not all paths examined, check warnings for details'
      : 'All paths examined';
    return {
      changes: [],
      noop: `${state.files.length} of ${state.examined} matched`,
      data: {
        files: state.files,
        matched: state.files.length,
        examined: state.examined,
        msg,
        skipped_paths: state.skipped,
      },
    };
  },
  async apply() {
    return {};
  },
});
