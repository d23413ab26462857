// What the file modules know about a path on the host, read in one round trip: type, mode,
// owner, size, times, link target, sha256 and (when asked and small enough) the content.
// The script is a constant; paths reach it as argv words, never as shell text.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { formatMode } from './mode.js';
import { withPredictions } from './predictions.js';
import type { AbsentFile, FileType, RemoteFile } from './remote-file-types.js';

export type { AbsentFile, FileType, PresentFile, RemoteFile } from './remote-file-types.js';

export type ProbeOptions = {
  /** Follow a symlink to describe its target (stat -L). */
  follow?: boolean;
  checksum?: boolean;
  /** Read regular files up to this many bytes (base64 over the wire, so binary is safe). */
  readMax?: number;
};

// $1 follow, $2 checksum, $3 read limit (-1: never), then the paths.
const PROBE = `
follow=$1 sum=$2 max=$3
shift 3
fmt='%f %u %g %s %Y %X %h %i %d %U %G'
b64() { printf '%s' "$1" | base64 | tr -d '\\n'; }
for p in "$@"; do
  if [ ! -e "$p" ] && [ ! -L "$p" ]; then
    n=0 a=$p
    while [ ! -e "$a" ] && [ ! -L "$a" ]; do a=$(dirname -- "$a"); n=$((n + 1)); done
    if [ -d "$a" ]; then echo "@absent $n 1"; else echo "@absent $n 0"; fi
    continue
  fi
  if [ -L "$p" ]; then
    echo "@link $(b64 "$(readlink -- "$p")")"
    if [ "$follow" = 1 ] && [ -e "$p" ]; then
      echo "@real $(b64 "$(readlink -f -- "$p")")"
      st=$(stat -L -c "$fmt" -- "$p") || exit 1
    else
      st=$(stat -c "$fmt" -- "$p") || exit 1
    fi
  else
    st=$(stat -c "$fmt" -- "$p") || exit 1
  fi
  echo "@stat $st"
  if [ -f "$p" ] && { [ ! -L "$p" ] || [ "$follow" = 1 ]; }; then
    if [ "$sum" = 1 ] && s=$(sha256sum < "$p" 2>/dev/null); then echo "@sha256 \${s%% *}"; fi
    size=$(printf '%s' "$st" | cut -d' ' -f4)
    if [ "$max" -ge 0 ] && [ "$size" -le "$max" ] && c=$(base64 < "$p" 2>/dev/null); then
      printf '@content %s\\n' "$(printf '%s' "$c" | tr -d '\\n')"
    fi
  fi
done
`;

const TYPE_BITS: Record<number, FileType> = { 0o100000: 'file', 0o040000: 'directory', 0o120000: 'link' };

/** Parse the probe's output: one block per path, in the order given (pure; tested on captured output). */
export function parseProbe(paths: readonly string[], stdout: string): RemoteFile[] {
  const out: RemoteFile[] = [];
  // A symlink's lines come before its stat line.
  let link: { isLink: true; target: string; realPath?: string } | undefined;
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('@')) continue;
    const sp = line.indexOf(' ');
    const tag = sp < 0 ? line.slice(1) : line.slice(1, sp);
    const rest = sp < 0 ? '' : line.slice(sp + 1);
    const last = out[out.length - 1];
    if (tag === 'absent') {
      const [n, d] = rest.split(' ');
      out.push({ path: paths[out.length], exists: false, missing: Number(n), ancestorIsDir: d === '1' });
      link = undefined;
    } else if (tag === 'link') {
      link = { isLink: true, target: Buffer.from(rest, 'base64').toString('utf8') };
    } else if (tag === 'real' && link) {
      link.realPath = Buffer.from(rest, 'base64').toString('utf8');
    } else if (tag === 'stat') {
      const [hex, uid, gid, size, mtime, atime, nlink, inode, dev, owner, group] = rest.split(' ');
      const raw = parseInt(hex, 16);
      out.push({
        path: paths[out.length],
        exists: true,
        type: TYPE_BITS[raw & 0o170000] ?? 'other',
        mode: formatMode(raw),
        uid: Number(uid),
        gid: Number(gid),
        owner,
        group,
        size: Number(size),
        mtime: Number(mtime),
        atime: Number(atime),
        nlink: Number(nlink),
        inode: Number(inode),
        dev: Number(dev),
        ...link,
      });
      link = undefined;
    } else if (tag === 'sha256' && last?.exists) {
      last.checksum = rest;
    } else if (tag === 'content' && last?.exists) {
      last.content = Buffer.from(rest, 'base64');
    }
  }
  if (out.length !== paths.length)
    throw new ModuleError(`could not read ${paths.join(', ')}: unexpected probe output`, {
      stdout: stdout.slice(0, 2000),
    });
  return out;
}

/** Stat (and optionally checksum and read) several paths in one command. */
export async function probeFiles(
  ctx: ModuleContext,
  paths: readonly string[],
  opts: ProbeOptions = {},
): Promise<RemoteFile[]> {
  const max = opts.readMax ?? -1;
  const argv = [
    '/bin/sh',
    '-c',
    PROBE,
    'herdbook-probe',
    opts.follow ? '1' : '0',
    opts.checksum ? '1' : '0',
    String(max),
    ...paths,
  ];
  // base64 grows content by a third; the rest is a few lines per path.
  const maxBuffer = Math.max(16 * 1024 * 1024, Math.ceil(max * 1.4) + 65536);
  const r = await ctx.exec(argv, { idempotent: true, maxBuffer });
  if (r.rc !== 0)
    throw new ModuleError(`could not stat ${paths.join(', ')}: ${r.stderr.trim() || `exit ${r.rc}`}`, { rc: r.rc });
  return withPredictions(ctx, parseProbe(paths, r.stdout));
}

export async function probeFile(ctx: ModuleContext, path: string, opts: ProbeOptions = {}): Promise<RemoteFile> {
  return (await probeFiles(ctx, [path], opts))[0];
}

/** The directories a mkdir -p would create, outermost first (for an absent path). */
export function missingDirs(file: AbsentFile, includeSelf: boolean): string[] {
  const dirs: string[] = [];
  let p = file.path.replace(/\/+$/, '') || '/';
  for (let i = 0; i < file.missing; i++) {
    dirs.unshift(p);
    p = p.slice(0, p.lastIndexOf('/')) || '/';
  }
  return includeSelf ? dirs : dirs.slice(0, -1);
}
