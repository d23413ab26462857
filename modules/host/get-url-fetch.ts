// Downloading on the host for get_url: into a private temp directory (mode 0700) with curl or
// wget, whichever the host has; with neither, on the controller, then copied there. The URL,
// headers and credentials go to curl as a config on stdin, to wget as a 0600 config file in that
// directory plus the URL on stdin: never on a command line, where `ps` would show them.
import { ModuleError, type ModuleContext } from '../../engine/index-module.js';
import { CURL_WRITE_OUT, curlQuote, parseCurlOutput } from './curl.js';
import { sendFromController } from './http-client.js';

export type Fetcher = 'curl' | 'wget' | 'controller';

export type FetchRequest = {
  url: string;
  headers: Record<string, string>;
  username?: string;
  password?: string;
  /** Seconds to connect, and seconds a transfer may stall. */
  timeout: number;
  validateCerts: boolean;
  agent: string;
  /** dest's mtime (Unix seconds): sent as If-Modified-Since (Ansible's conditional download). */
  ifModifiedSince?: number;
  /** force: Cache-Control: no-cache, as Ansible sends it. */
  noCache: boolean;
};

export type Fetched = {
  status: number;
  /** Ansible's msg: "OK (N bytes)" or "HTTP Error 404: Not Found". */
  msg: string;
  headers: Record<string, string>;
  /** The URL finally answered, after redirects. */
  url: string;
  file: string;
};

/** urllib's limit, which Ansible's fetch_url inherits. */
const MAX_REDIRECTS = 10;

const MAKE_TEMP = `
if [ -n "$1" ] && [ ! -d "$1" ]; then
  if [ -e "$1" ]; then echo "$1 is a file but should be a directory." >&2; else echo "$1 directory does not exist." >&2; fi
  exit 3
fi
umask 077
mktemp -d "\${1:-\${TMPDIR:-/tmp}}/herdbook-get_url.XXXXXXXX"
`;

/** A directory only the connecting user (root with become) can read: where downloads wait. */
export async function privateTempDir(ctx: ModuleContext, tmpDest: string | undefined): Promise<string> {
  const r = await ctx.exec(['/bin/sh', '-c', MAKE_TEMP, 'herdbook-get_url', tmpDest ?? '']);
  if (r.rc !== 0) throw new ModuleError(r.stderr.trim() || `could not make a temp directory (exit ${r.rc})`);
  return r.stdout.trim();
}

export async function removeTemp(ctx: ModuleContext, dir: string): Promise<void> {
  await ctx.exec(['rm', '-rf', '--', dir]);
}

const WHICH = 'for t in curl wget; do if command -v "$t" >/dev/null 2>&1; then echo "$t"; exit 0; fi; done; echo none';

export async function whichFetcher(ctx: ModuleContext): Promise<Fetcher> {
  const r = await ctx.exec(['/bin/sh', '-c', WHICH], { idempotent: true });
  const t = r.stdout.trim();
  if (t === 'curl' || t === 'wget') return t;
  ctx.log(1, 'neither curl nor wget on the host: the controller downloads, then copies the file to the host');
  return 'controller';
}

function httpDate(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toUTCString();
}

/** The request's headers with get_url's own (User-Agent, If-Modified-Since, Cache-Control). */
function allHeaders(req: FetchRequest): Record<string, string> {
  const h: Record<string, string> = { 'User-Agent': req.agent };
  if (req.noCache) h['Cache-Control'] = 'no-cache';
  else if (req.ifModifiedSince !== undefined) h['If-Modified-Since'] = httpDate(req.ifModifiedSince);
  return { ...h, ...req.headers };
}

function statusMsg(status: number, statusText: string, size: number): string {
  return status === 200 ? `OK (${size} bytes)` : `HTTP Error ${status}: ${statusText}`;
}

export function curlDownloadConfig(req: FetchRequest, output: string): string {
  const lines = [
    'silent',
    'show-error',
    'location',
    `max-redirs = ${MAX_REDIRECTS}`,
    `url = ${curlQuote(req.url)}`,
    `output = ${curlQuote(output)}`,
    'dump-header = "-"',
    CURL_WRITE_OUT,
    `connect-timeout = ${req.timeout}`,
    `speed-time = ${req.timeout}`,
    'speed-limit = 1',
  ];
  for (const [k, v] of Object.entries(allHeaders(req))) lines.push(`header = ${curlQuote(`${k}: ${v}`)}`);
  if (req.username !== undefined) lines.push(`user = ${curlQuote(`${req.username}:${req.password ?? ''}`)}`);
  if (!req.validateCerts) lines.push('insecure');
  return `${lines.join('\n')}\n`;
}

/** wgetrc takes a value to the end of its line: a line break in one would start another setting. */
function oneLine(what: string, v: string): string {
  if (/[\r\n]/.test(v)) throw new ModuleError(`${what} contains a line break: not a valid HTTP header value`);
  return v;
}

export function wgetConfig(req: FetchRequest): string {
  const lines = ['tries = 1', `timeout = ${req.timeout}`, `max_redirect = ${MAX_REDIRECTS}`];
  const headers = allHeaders(req);
  lines.push(`user_agent = ${oneLine('http_agent', headers['User-Agent'])}`);
  for (const [k, v] of Object.entries(headers))
    if (k !== 'User-Agent') lines.push(`header = ${oneLine(`header ${k}`, `${k}: ${v}`)}`);
  if (req.username !== undefined) {
    lines.push(`http_user = ${oneLine('url_username', req.username)}`);
    lines.push(`http_password = ${oneLine('url_password', req.password ?? '')}`);
    // Send the credentials with the first request, as curl does.
    lines.push('auth_no_challenge = on');
  }
  if (!req.validateCerts) lines.push('check_certificate = off');
  return `${lines.join('\n')}\n`;
}

/** wget --server-response on stderr: each response's header block, indented; the last one answered. */
export function parseWgetResponses(stderr: string, url: string): Omit<Fetched, 'file' | 'msg'> & { text: string } {
  let current = url;
  let last: { status: number; text: string; headers: Record<string, string> } | undefined;
  for (const line of stderr.split('\n')) {
    const m = /^\s+HTTP\/[\d.]+ (\d{3}) ?(.*)$/.exec(line);
    if (m) {
      if (last?.headers.location) current = new URL(last.headers.location, current).toString();
      last = { status: Number(m[1]), text: m[2].trim(), headers: {} };
      continue;
    }
    const h = /^\s{2,}([A-Za-z0-9-]+):\s?(.*)$/.exec(line);
    if (h && last) last.headers[h[1].toLowerCase()] = h[2].trim();
  }
  if (!last) throw new ModuleError(`wget gave no HTTP response: ${stderr.trim().split('\n').slice(-3).join(' ')}`);
  return { status: last.status, text: last.text, headers: last.headers, url: current };
}

async function sizeOf(ctx: ModuleContext, file: string): Promise<number> {
  const r = await ctx.exec(['stat', '-c', '%s', '--', file], { idempotent: true });
  return Number(r.stdout.trim()) || 0;
}

async function viaCurl(ctx: ModuleContext, req: FetchRequest, file: string): Promise<Fetched> {
  const r = await ctx.exec(['curl', '--config', '-'], { stdin: curlDownloadConfig(req, file) });
  if (r.rc !== 0) throw new ModuleError(`Request failed: curl exited ${r.rc}: ${r.stderr.trim()}`, { url: req.url });
  const res = parseCurlOutput(r.stdout);
  const size = res.status === 200 ? await sizeOf(ctx, file) : 0;
  return {
    status: res.status,
    msg: statusMsg(res.status, res.statusText, size),
    headers: res.headers,
    url: res.url,
    file,
  };
}

async function viaWget(ctx: ModuleContext, req: FetchRequest, dir: string, file: string): Promise<Fetched> {
  const rc = `${dir}/wgetrc`;
  const w = await ctx.exec(['/bin/sh', '-c', 'umask 077 && cat > "$1"', 'herdbook-get_url', rc], {
    stdin: wgetConfig(req),
  });
  if (w.rc !== 0) throw new ModuleError(`could not write wget's settings: ${w.stderr.trim()}`);
  const r = await ctx.exec(
    ['wget', `--config=${rc}`, '--server-response', '--no-verbose', `--output-document=${file}`, '--input-file=-'],
    { stdin: `${req.url}\n` },
  );
  // wget exits 8 for an HTTP error status: the status decides, as with curl.
  if (r.rc !== 0 && r.rc !== 8)
    throw new ModuleError(`Request failed: wget exited ${r.rc}: ${r.stderr.trim().split('\n').slice(-2).join(' ')}`, {
      url: req.url,
    });
  const res = parseWgetResponses(r.stderr, req.url);
  const size = res.status === 200 ? await sizeOf(ctx, file) : 0;
  return { status: res.status, msg: statusMsg(res.status, res.text, size), headers: res.headers, url: res.url, file };
}

async function viaController(ctx: ModuleContext, req: FetchRequest, file: string): Promise<Fetched> {
  const headers = allHeaders(req);
  if (req.username !== undefined)
    headers.Authorization = `Basic ${Buffer.from(`${req.username}:${req.password ?? ''}`).toString('base64')}`;
  let res;
  try {
    res = await sendFromController(
      {
        url: req.url,
        method: 'GET',
        headers,
        timeoutMs: req.timeout * 1000,
        validateCerts: req.validateCerts,
        followRedirects: 'safe',
      },
      ctx.signal,
    );
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    throw new ModuleError(`Request failed: ${(e as Error).message}`, { url: req.url });
  }
  const raw = res.raw ?? Buffer.alloc(0);
  if (res.status === 200) await ctx.put(raw, file, { mode: '0600' });
  return {
    status: res.status,
    msg: statusMsg(res.status, res.statusText, raw.length),
    headers: res.headers,
    url: res.url,
    file,
  };
}

/** Download req.url into `dir` (a private temp directory) as `name`. */
export function fetchInto(
  ctx: ModuleContext,
  tool: Fetcher,
  req: FetchRequest,
  dir: string,
  name: string,
): Promise<Fetched> {
  const file = `${dir}/${name}`;
  if (tool === 'curl') return viaCurl(ctx, req, file);
  if (tool === 'wget') return viaWget(ctx, req, dir, file);
  return viaController(ctx, req, file);
}

/** Digests of a host file: sha1 and sha256 always (Ansible's checksum_src, our comparison), plus the checksum's algorithm. */
export async function digestsOf(
  ctx: ModuleContext,
  file: string,
  algorithms: string[],
): Promise<Record<string, string>> {
  const script = 'f=$1; shift; for a in "$@"; do s=$("${a}sum" < "$f") || exit 1; echo "$a ${s%% *}"; done';
  const r = await ctx.exec(['/bin/sh', '-c', script, 'herdbook-digest', file, ...new Set(algorithms)], {
    idempotent: true,
  });
  if (r.rc !== 0) throw new ModuleError(`could not read ${file}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  return Object.fromEntries(
    r.stdout
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]),
  );
}
