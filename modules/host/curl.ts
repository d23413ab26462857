// uri from the host, with curl. Every user value (URL, headers, credentials, body) goes to curl
// as a config file on stdin, never on the command line: nothing to quote, nothing in `ps`.
import type { HttpRequest, HttpResponse } from './http-types.js';
import { followsRedirect, MAX_REDIRECTS } from './http-types.js';

const MARK = '\n@@herdbook-curl@@ ';

/** A value in curl's config syntax: double quotes with \\ \" \n \r \t \v escapes. */
export function curlQuote(v: string): string {
  return `"${v.replace(/[\\"\n\r\t\v]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v' })[c]!)}"`;
}

/** The config line that ends curl's output with what parseCurlOutput needs (redirects, the final URL). */
export const CURL_WRITE_OUT = `write-out = ${curlQuote(`${MARK}%{num_redirects} %{url_effective}`)}`;

export function curlConfig(req: HttpRequest): string {
  const lines = [
    'silent',
    'show-error',
    'include',
    CURL_WRITE_OUT,
    `url = ${curlQuote(req.url)}`,
    `max-time = ${Math.max(1, Math.ceil(req.timeoutMs / 1000))}`,
  ];
  if (req.method === 'HEAD') lines.push('head');
  else lines.push(`request = ${curlQuote(req.method)}`);
  for (const [k, v] of Object.entries(req.headers)) lines.push(`header = ${curlQuote(`${k}: ${v}`)}`);
  // data-raw: a body starting with @ is data, not a file name.
  if (req.body !== undefined) lines.push(`data-raw = ${curlQuote(req.body.toString('utf8'))}`);
  if (!req.validateCerts) lines.push('insecure');
  if (req.caPath) lines.push(`cacert = ${curlQuote(req.caPath)}`);
  if (followsRedirect(req.followRedirects, req.method)) lines.push('location', `max-redirs = ${MAX_REDIRECTS}`);
  return `${lines.join('\n')}\n`;
}

export const CURL_ARGV = ['curl', '--config', '-'];

/** curl --include output: the last header block (after 1xx, redirects, proxy CONNECT), the body, and our write-out line. */
export function parseCurlOutput(stdout: string): HttpResponse {
  const w = stdout.lastIndexOf(MARK);
  if (w < 0) throw new Error(`curl gave no HTTP response: ${stdout.slice(0, 200)}`);
  const [redirects, ...urlWords] = stdout
    .slice(w + MARK.length)
    .trim()
    .split(' ');
  let rest = stdout.slice(0, w);
  let head = '';
  while (rest.startsWith('HTTP/')) {
    const m = /\r?\n\r?\n/.exec(rest);
    const end = m ? m.index + m[0].length : rest.length;
    head = rest.slice(0, end);
    rest = rest.slice(end);
  }
  const [statusLine, ...headerLines] = head.split(/\r?\n/).filter((l) => l !== '');
  const m = /^HTTP\/[\d.]+ (\d{3}) ?(.*)$/.exec(statusLine ?? '');
  if (!m) throw new Error(`curl gave no HTTP response: ${stdout.slice(0, 200)}`);
  const headers: Record<string, string> = {};
  for (const l of headerLines) {
    const i = l.indexOf(':');
    if (i <= 0) continue;
    const k = l.slice(0, i).trim().toLowerCase();
    const v = l.slice(i + 1).trim();
    headers[k] = headers[k] !== undefined ? `${headers[k]}, ${v}` : v;
  }
  return {
    status: Number(m[1]),
    statusText: m[2],
    headers,
    body: rest,
    url: urlWords.join(' '),
    redirected: Number(redirects) > 0,
  };
}
