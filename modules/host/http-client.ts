// uri from the controller: node:http(s), so certificate checking can be switched off per
// request (validate_certs) and a CA file given, with redirects followed by policy.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { followsRedirect, MAX_REDIRECTS, type HttpRequest, type HttpResponse } from './http-types.js';

function once(req: HttpRequest, url: URL, ca: Buffer | undefined, signal: AbortSignal): Promise<HttpResponse> {
  return new Promise((resolve, reject) => {
    const lib = url.protocol === 'https:' ? https : http;
    const r = lib.request(
      url,
      {
        method: req.method,
        headers: req.headers,
        rejectUnauthorized: req.validateCerts,
        ca,
        signal,
        timeout: req.timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
          const raw = Buffer.concat(chunks);
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers,
            body: raw.toString('utf8'),
            raw,
            url: url.toString(),
            redirected: false,
          });
        });
      },
    );
    r.on('timeout', () => r.destroy(new Error(`no response within ${req.timeoutMs / 1000}s`)));
    r.on('error', reject);
    r.end(req.body);
  });
}

/** Send the request, following redirects as the policy allows; network failures reject. */
export async function sendFromController(req: HttpRequest, signal: AbortSignal): Promise<HttpResponse> {
  if (!/^https?:\/\//i.test(req.url)) throw new Error(`unsupported URL ${req.url}: http:// or https:// only`);
  const ca = req.caPath ? await readFile(req.caPath) : undefined;
  let url = new URL(req.url);
  let current = req;
  for (let hops = 0; ; hops++) {
    const res = await once(current, url, ca, signal);
    const location = res.headers.location;
    if (res.status < 300 || res.status >= 400 || !location || !followsRedirect(req.followRedirects, current.method)) {
      return { ...res, redirected: hops > 0 };
    }
    if (hops >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
    const next = new URL(location, url);
    // Credentials stay with the origin they were meant for.
    if (next.origin !== url.origin)
      current = {
        ...current,
        headers: Object.fromEntries(
          Object.entries(current.headers).filter(([k]) => k.toLowerCase() !== 'authorization'),
        ),
      };
    url = next;
    // 303 always, and 301/302 after anything but GET/HEAD, continue as a GET without a body (as browsers and curl do).
    const toGet =
      res.status === 303 ||
      ((res.status === 301 || res.status === 302) && current.method !== 'GET' && current.method !== 'HEAD');
    if (toGet) {
      const headers = Object.fromEntries(
        Object.entries(current.headers).filter(([k]) => !/^content-(type|length)$/i.test(k)),
      );
      current = { ...current, method: 'GET', body: undefined, headers };
    }
  }
}
