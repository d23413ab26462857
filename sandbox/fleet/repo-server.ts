// A package repository's directory served over HTTP on loopback (a free port): what the apt and
// pacman test repositories (apt-repo.ts, pacman-repo.ts) hand to the fleet's package managers.
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export type RepoServer = { base: string; close: () => Promise<void> };

/** Serves `dir` read-only; paths under `hidden` (build trees) answer 404. */
export async function serveRepo(dir: string, hidden: string[] = []): Promise<RepoServer> {
  const server = http.createServer((req, res) => {
    const rel = path.posix.normalize(decodeURIComponent((req.url ?? '/').split('?')[0])).replace(/^(\.\.\/|\/)+/, '');
    if (hidden.some((h) => rel.startsWith(`${h}/`))) return void res.writeHead(404).end();
    readFile(path.join(dir, rel)).then(
      (body) => res.writeHead(200, { 'Content-Length': body.length }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
