// What unarchive reads on the host: which handler opens the archive (the reference's order: zip,
// then GNU tar with -z, none (tar detects the compression itself), -j, -J, zstd), its member
// names, `tar --diff` or zipinfo's listing, and each member's path under dest. Every command is
// argv; member names reach the host on stdin, never in a command line.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { fnmatchSource } from '../../engine/fnmatch.js';
import type { DestEntry, Handler, RunUser, UnarchiveArgs, ZipMember } from './unarchive-plan.js';

export const LANG_C = { LANG: 'C', LC_ALL: 'C', LC_MESSAGES: 'C', LANGUAGE: 'C' };

const TAR_FLAGS: [Handler, string][] = [
  ['TgzArchive', '-z'],
  ['TarArchive', ''],
  ['TarBzipArchive', '-j'],
  ['TarXzArchive', '-J'],
  ['TarZstdArchive', '--use-compress-program=zstd'],
];

export const tarFlag = (h: Handler): string => TAR_FLAGS.find(([n]) => n === h)?.[1] ?? '';

const matches = (name: string, globs: readonly string[]) => globs.some((g) => new RegExp(fnmatchSource(g)).test(name));

/** tar's words shared by --list, --diff and --extract after the operation: -C dest, the flag, the options. */
export function tarWords(op: string, h: Handler, args: UnarchiveArgs, src: string, withAttrs: boolean): string[] {
  const w = ['tar', op, '-C', args.dest];
  if (tarFlag(h)) w.push(tarFlag(h));
  if (args.extra_opts.length) w.push('--show-transformed-names', ...args.extra_opts);
  if (withAttrs) {
    if (args.owner !== undefined) w.push(`--owner=${args.owner}`);
    if (args.group !== undefined) w.push(`--group=${args.group}`);
    if (args.keep_newer) w.push('--keep-newer-files');
  }
  w.push(...args.exclude.map((e) => `--exclude=${e.replace(/\/+$/, '')}`), '-f', src, ...args.include);
  return w;
}

/** unzip's words to unpack (the reference: -o, the options, src, -x excludes, includes, -d dest). */
export function unzipWords(args: UnarchiveArgs, src: string): string[] {
  return [
    'unzip',
    '-o',
    ...args.extra_opts,
    src,
    ...(args.exclude.length ? ['-x', ...args.exclude] : []),
    ...args.include,
    '-d',
    args.dest,
  ];
}

async function tarList(ctx: ModuleContext, h: Handler, args: UnarchiveArgs, src: string) {
  const r = await ctx.exec(tarWords('--list', h, args, src, false), { cwd: args.dest, env: LANG_C, idempotent: true });
  if (r.rc !== 0) return undefined;
  const excludes = args.exclude.map((e) => e.replace(/\/+$/, ''));
  const names = r.stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.replace(/^\//, ''))
    .filter((n) => !matches(n, excludes));
  return names.length ? names : undefined;
}

/** The handler that opens src and its files_in_archive; fails as the reference does when none can. */
export async function pickHandler(
  ctx: ModuleContext,
  args: UnarchiveArgs,
  src: string,
): Promise<{ handler: Handler; files: string[] }> {
  const reasons: string[] = [];
  const zip = await ctx.exec(['unzip', '-Z1', src], { env: LANG_C, idempotent: true });
  if (zip.rc === 0) {
    const all = zip.stdout.split('\n').filter((l) => l !== '');
    const files = args.include.length
      ? all.filter((m) => matches(m, args.include))
      : all.filter((m) => !matches(m, args.exclude));
    return { handler: 'ZipArchive', files };
  }
  reasons.push(
    zip.rc === 127
      ? "Unable to find required 'unzip' or 'zipinfo' binary in the path."
      : `Command "unzip" could not handle archive: ${zip.stderr.trim() || zip.stdout.trim()}`,
  );
  const version = await ctx.exec(['tar', '--version'], { env: LANG_C, idempotent: true });
  if (version.rc === 127) reasons.push("Unable to find required 'gtar' or 'tar' binary in the path");
  else if (!/^tar.*GNU/.test(version.stdout)) reasons.push('Command "tar" is not GNU tar. GNU tar required.');
  else
    for (const [handler] of TAR_FLAGS) {
      const files = await tarList(ctx, handler, args, src);
      if (files) return { handler, files };
    }
  reasons.push('Command "tar" found no files in archive, or could not read it.');
  throw new ModuleError(
    `Failed to find handler for "${src}". Make sure the required command to extract the file is installed.\n${reasons.join('\n')}`,
  );
}

const RUN_USER = 'id -u; id -g; id -un; id -gn; umask';

export async function runUser(ctx: ModuleContext): Promise<RunUser> {
  const r = await ctx.exec(['/bin/sh', '-c', RUN_USER], { idempotent: true });
  const [uid, gid, user, group, umask] = r.stdout.split('\n');
  return { uid: Number(uid), gid: Number(gid), user, group, umask: parseInt(umask, 8) };
}

// Input lines `<zip time or ->\t<name>`; output one line per input: `missing`, or
// `type|size|mtime|mode|uid|gid|owner|group|same|epoch` (same: 1/0 for a zip's regular file, '-' otherwise).
const STAT_ENTRIES = `
cd "$1" || exit 3
src=$2
while IFS='	' read -r ts p; do
  if [ "$ts" != - ]; then
    epoch=$(date -d "$(echo "$ts" | sed 's/^\\(....\\)\\(..\\)\\(..\\)\\.\\(..\\)\\(..\\)\\(..\\)$/\\1-\\2-\\3 \\4:\\5:\\6/')" +%s)
  else epoch=-; fi
  if [ ! -e "$p" ] && [ ! -L "$p" ]; then echo "missing||||||||-|$epoch"; continue; fi
  same=-
  if [ -n "$src" ] && [ -f "$p" ] && [ ! -L "$p" ]; then
    pat=$(printf '%s' "$p" | sed 's/[][*?\\\\]/\\\\&/g')
    if unzip -p "$src" "$pat" | cmp -s - "$p"; then same=1; else same=0; fi
  fi
  printf '%s|%s|%s\\n' "$(stat -c '%F|%s|%Y|%a|%u|%g|%U|%G' -- "$p")" "$same" "$epoch"
done
`;

function entryType(f: string): 'file' | 'directory' | 'link' | 'other' {
  if (f.startsWith('regular')) return 'file';
  if (f === 'directory') return 'directory';
  if (f === 'symbolic link') return 'link';
  return 'other';
}

export function parseEntry(line: string): { entry: DestEntry; epoch?: number } {
  const f = line.split('|');
  const epoch = f[9] === '-' || f[9] === undefined ? undefined : Number(f[9]);
  if (f[0] === 'missing') return { entry: { missing: true }, epoch };
  const entry: DestEntry = {
    type: entryType(f[0]),
    size: Number(f[1]),
    mtime: Number(f[2]),
    mode: f[3].padStart(4, '0'),
    uid: Number(f[4]),
    gid: Number(f[5]),
    owner: f[6],
    group: f[7],
    ...(f[8] === '-' ? {} : { same: f[8] === '1' }),
  };
  return { entry, epoch };
}

/** Each name under dest (zip members: with their zip time, and compared with the member's bytes). */
export async function statEntries(
  ctx: ModuleContext,
  dest: string,
  names: { name: string; time?: string }[],
  zipSrc?: string,
): Promise<{ entry: DestEntry; epoch?: number }[]> {
  if (!names.length) return [];
  if (names.some((n) => /[\t\n]/.test(n.name)))
    throw new ModuleError('an archive member name holds a tab or a newline: not supported');
  const stdin = names.map((n) => `${n.time ?? '-'}\t${n.name}\n`).join('');
  const r = await ctx.exec(['/bin/sh', '-c', STAT_ENTRIES, 'herdbook-unarchive', dest, zipSrc ?? ''], {
    stdin,
    env: LANG_C,
    idempotent: true,
  });
  const lines = r.stdout.split('\n').filter((l) => l !== '');
  if (r.rc !== 0 || lines.length !== names.length)
    throw new ModuleError(`could not read ${dest}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return lines.map(parseEntry);
}

/** zipinfo's `-T -s` lines the reference reads (8 fields, a 10- or 7-character mode, a 15-character time). */
export function parseZipinfo(stdout: string): { perm: string; size: number; time: string; path: string }[] {
  const out = [];
  for (const line of stdout.split('\n')) {
    const m = /^(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const [, perm, , , size, , , time, path] = m;
    if ((perm.length !== 7 && perm.length !== 10) || time.length !== 15) continue;
    if (!'dl-?'.includes(perm[0]) || ![...perm.slice(1)].every((c) => 'rwxstah-'.includes(c))) continue;
    out.push({ perm, size: Number(size), time, path });
  }
  return out;
}

export async function zipMembers(ctx: ModuleContext, args: UnarchiveArgs, src: string): Promise<ZipMember[]> {
  const argv = [
    'unzip',
    '-Z',
    '-T',
    '-s',
    src,
    ...(args.exclude.length ? ['-x', ...args.exclude] : []),
    ...args.include,
  ];
  const r = await ctx.exec(argv, { env: LANG_C, idempotent: true });
  const listed = parseZipinfo(r.stdout);
  const facts = await statEntries(
    ctx,
    args.dest,
    listed.map((m) => ({ name: m.path, time: m.time })),
    src,
  );
  return listed.map((m, i) => ({
    perm: m.perm,
    size: m.size,
    mtime: facts[i].epoch ?? 0,
    path: m.path,
    dest: facts[i].entry,
  }));
}
