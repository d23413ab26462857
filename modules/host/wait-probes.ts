// One look at what wait_for waits for, as seen from the host: a TCP port (bash's /dev/tcp, else
// nc), a path, a regex in a file. Each returns whether the wait is over and what it saw.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { pyRegex } from './py-regex.js';
import { probeFile } from './remote-file.js';
import { asText } from './text.js';

export type Look = { done: boolean; seen: string; groups?: string[]; groupdict?: Record<string, string> };

// $1 host, $2 port, $3 seconds. Exit 0: open; 124: timed out; 125: no tool; else closed.
const TCP = `
if command -v bash >/dev/null 2>&1; then
  exec timeout "$3" bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2"
elif command -v nc >/dev/null 2>&1; then
  exec nc -z -w "$3" "$1" "$2"
fi
echo "neither bash nor nc is installed: cannot test TCP ports" >&2
exit 125
`;

/** What a failed connect said, in a few words ("Connection refused"). */
export function connectError(rc: number, stderr: string): string {
  if (rc === 124) return 'connect timed out';
  const m = /connect: (.+)$/m.exec(stderr) ?? /: ([^:\n]+)\s*$/.exec(stderr.trim());
  return m ? m[1].trim() : stderr.trim() || `closed (exit ${rc})`;
}

export async function lookPort(
  ctx: ModuleContext,
  host: string,
  port: number,
  connectTimeout: number,
  wantOpen: boolean,
): Promise<Look> {
  const secs = String(Math.max(1, Math.ceil(connectTimeout)));
  const r = await ctx.exec(['/bin/sh', '-c', TCP, 'herdbook-wait', host, String(port), secs], {
    idempotent: true,
    timeout: (connectTimeout + 10) * 1000,
  });
  if (r.rc === 125) throw new ModuleError(r.stderr.trim());
  const open = r.rc === 0;
  return {
    done: open === wantOpen,
    seen: open ? `${host}:${port} is open` : `${host}:${port}: ${connectError(r.rc, r.stderr)}`,
  };
}

export async function lookPath(ctx: ModuleContext, path: string, wantPresent: boolean, regex?: string): Promise<Look> {
  const f = await probeFile(ctx, path, { follow: true, readMax: regex ? 16 * 1024 * 1024 : -1 });
  if (!wantPresent) return { done: !f.exists, seen: f.exists ? `${path} exists` : `${path} is absent` };
  if (!f.exists) return { done: false, seen: `${path} does not exist` };
  if (regex === undefined) return { done: true, seen: `${path} exists` };
  // Ansible searches with re.MULTILINE: ^ and $ work per line.
  const re = pyRegex(regex, 'search_regex');
  const text = f.exists && f.content ? (asText(f.content) ?? f.content.toString('latin1')) : '';
  const m = new RegExp(re.source, re.flags.includes('m') ? re.flags : `${re.flags}m`).exec(text);
  if (!m) return { done: false, seen: `${path} exists but has no match for ${regex}` };
  return {
    done: true,
    seen: `${path} matches ${regex}`,
    groups: m.slice(1).map((g) => g ?? ''),
    groupdict: { ...(m.groups ?? {}) },
  };
}
