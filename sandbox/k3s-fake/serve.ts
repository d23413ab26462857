// Running the release server for a sandbox: its URL and pid go to files in the state dir so
// other processes (the sandbox, tests, `herdbook sandbox down`) can find and stop it, and each
// request is appended to an NDJSON log (check mode must leave that log untouched).
import { appendFileSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startK3sReleaseServer, type K3sReleaseServer, type K3sReleaseServerOptions } from './release-server.js';

export type ServeFiles = { pidFile: string; infoFile: string; requestLog: string };

export function releaseServerFiles(stateDir: string): ServeFiles {
  const dir = path.join(stateDir, 'k3s-release');
  return {
    pidFile: path.join(dir, 'server.pid'),
    infoFile: path.join(dir, 'server.json'),
    requestLog: path.join(dir, 'requests.ndjson'),
  };
}

export type ServeInfo = {
  pid: number;
  url: string;
  channelUrl: string;
  installScriptUrl: string;
  githubUrl: string;
  versions: string[];
};

/** Starts the server, writes the files, and resolves once `signal` aborts and all is cleaned up. */
export async function serveReleaseServer(
  stateDir: string,
  opts: Omit<K3sReleaseServerOptions, 'onRequest'>,
  signal: AbortSignal,
  onReady?: (server: K3sReleaseServer, info: ServeInfo) => void,
): Promise<void> {
  const files = releaseServerFiles(stateDir);
  await mkdir(path.dirname(files.pidFile), { recursive: true });
  await writeFile(files.requestLog, '');
  // Synchronous append: the log is complete the moment a response is sent.
  const server = await startK3sReleaseServer({
    ...opts,
    onRequest: (r) => appendFileSync(files.requestLog, `${JSON.stringify(r)}\n`),
  });
  const info: ServeInfo = {
    pid: process.pid,
    url: server.url,
    channelUrl: server.channelUrl,
    installScriptUrl: server.installScriptUrl,
    githubUrl: server.githubUrl,
    versions: [...opts.versions],
  };
  await writeFile(files.infoFile, `${JSON.stringify(info, null, 2)}\n`);
  await writeFile(files.pidFile, `${process.pid}\n`);
  onReady?.(server, info);
  if (!signal.aborted)
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  await rm(files.pidFile, { force: true });
  await rm(files.infoFile, { force: true });
}
