// A loopback HTTP server both tools download from (get_url cases): `http_base` in every case's
// inventory. Fixed files with a fixed Last-Modified, so If-Modified-Since behaves the same for
// both; a checksum file, a redirect, basic auth under /private/, a 404 for anything else.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export const HTTP_USER = 'pi';
export const HTTP_PASSWORD = 'conformance pass';

const K3S = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from('k3s binary for the conformance suite\n')]);
const ARM = Buffer.from('k3s for arm64\n');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const FILES: Record<string, Buffer> = {
  '/k3s': K3S,
  '/k3s-arm64': ARM,
  '/sha256sum.txt': Buffer.from(`${sha256(ARM)}  k3s-arm64\n${sha256(K3S)} *k3s\n`),
};
const LAST_MODIFIED = Date.UTC(2024, 0, 1);

export type HttpServer = { base: string; close(): Promise<void> };

export async function startHttpServer(): Promise<HttpServer> {
  const auth = `Basic ${Buffer.from(`${HTTP_USER}:${HTTP_PASSWORD}`).toString('base64')}`;
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/old-k3s') return void res.writeHead(302, { Location: '/k3s' }).end();
    if (url.startsWith('/private/') && req.headers.authorization !== auth)
      return void res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="conformance"' }).end('no');
    const body = FILES[url.replace(/^\/private/, '')];
    if (!body) return void res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here');
    const ims = req.headers['if-modified-since'];
    if (ims && Date.parse(ims) >= LAST_MODIFIED) return void res.writeHead(304).end();
    res.writeHead(200, {
      'Content-Type': 'application/octet-stream',
      'Content-Length': body.length,
      'Last-Modified': new Date(LAST_MODIFIED).toUTCString(),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
