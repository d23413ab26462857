// uri's arguments → the request; the response → the registered result (Ansible's field names:
// status, url, redirected, msg, content, json, and each response header as a lower-case key).
import { ModuleError } from '../../engine/index-module.js';
import type { HttpRequest, HttpResponse } from './http-types.js';

export type UriArgs = {
  url: string;
  method: string;
  body?: unknown;
  body_format: 'raw' | 'json' | 'form-urlencoded';
  headers: Record<string, string | number | boolean>;
  status_code: number | number[];
  return_content: boolean;
  timeout: number;
  validate_certs: boolean;
  ca_path?: string;
  follow_redirects: 'none' | 'safe' | 'all';
  url_username?: string;
  url_password?: string;
  on: 'controller' | 'host';
};

export type UriOutcome =
  { ok: true; res: HttpResponse; elapsed: number } | { ok: false; error: string; elapsed: number };

const MAX_JSON = 16 * 1024 * 1024;

export function expectedStatus(args: UriArgs): number[] {
  return [args.status_code].flat().map(Number);
}

function hasHeader(h: Record<string, string>, name: string): boolean {
  return Object.keys(h).some((k) => k.toLowerCase() === name);
}

function encodeBody(args: UriArgs, headers: Record<string, string>): Buffer | undefined {
  const b = args.body;
  if (b === undefined || b === null) return undefined;
  const type = (t: string) => {
    if (!hasHeader(headers, 'content-type')) headers['Content-Type'] = t;
  };
  if (args.body_format === 'json') {
    type('application/json');
    return Buffer.from(typeof b === 'string' ? b : JSON.stringify(b), 'utf8');
  }
  if (args.body_format === 'form-urlencoded') {
    type('application/x-www-form-urlencoded');
    if (typeof b === 'string') return Buffer.from(b, 'utf8');
    if (typeof b !== 'object' || Array.isArray(b))
      throw new ModuleError('body must be a mapping (or an encoded string) with body_format: form-urlencoded');
    return Buffer.from(
      new URLSearchParams(Object.entries(b).map(([k, v]): [string, string] => [k, String(v)])).toString(),
      'utf8',
    );
  }
  if (typeof b !== 'string')
    throw new ModuleError(
      'body must be a string with body_format: raw (use body_format: json for a mapping or a list)',
    );
  return Buffer.from(b, 'utf8');
}

export function requestOf(args: UriArgs): HttpRequest {
  const headers: Record<string, string> = Object.fromEntries(
    Object.entries(args.headers).map(([k, v]) => [k, String(v)]),
  );
  const body = encodeBody(args, headers);
  if (args.url_username !== undefined && !hasHeader(headers, 'authorization')) {
    headers.Authorization = `Basic ${Buffer.from(`${args.url_username}:${args.url_password ?? ''}`).toString('base64')}`;
  }
  return {
    url: args.url,
    method: args.method.toUpperCase(),
    headers,
    body,
    timeoutMs: args.timeout * 1000,
    validateCerts: args.validate_certs,
    caPath: args.ca_path,
    followRedirects: args.follow_redirects,
  };
}

export function responseData(o: UriOutcome, args: UriArgs): Record<string, unknown> {
  if (!o.ok)
    return { status: -1, url: args.url, redirected: false, msg: `Request failed: ${o.error}`, elapsed: o.elapsed };
  const { res } = o;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(res.headers)) out[k.replace(/-/g, '_')] = v;
  const bytes = Buffer.byteLength(res.body);
  const msg =
    res.status < 400 ? `${res.statusText || 'OK'} (${bytes} bytes)` : `HTTP Error ${res.status}: ${res.statusText}`;
  Object.assign(out, { status: res.status, url: res.url, redirected: res.redirected, msg, elapsed: o.elapsed });
  const text = res.body;
  if (args.return_content) out.content = text;
  if (/[/+]json\b/i.test(res.headers['content-type'] ?? '') && bytes <= MAX_JSON) {
    try {
      out.json = JSON.parse(text);
    } catch {
      // Not JSON after all: content (when asked) still has it.
    }
  }
  return out;
}
