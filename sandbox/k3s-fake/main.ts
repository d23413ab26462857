#!/usr/bin/env node
// `node dist/sandbox/k3s-fake/main.js --state-dir DIR --versions v1.30.14+k3s1,v1.31.4+k3s1`:
// the k3s release + channel server in the foreground, until SIGINT/SIGTERM.
import { Command } from 'commander';
import { serveReleaseServer } from './serve.js';

const program = new Command()
  .name('k3s-fake-release-server')
  .description('Serve k3s channels, release assets (fake binaries) and install.sh on loopback')
  .requiredOption('--state-dir <dir>', 'where server.pid, server.json and requests.ndjson go (under k3s-release/)')
  .requiredOption('--versions <tags>', 'comma-separated k3s tags to serve, e.g. v1.30.14+k3s1,v1.31.4+k3s1')
  .option('--stable <tag>', 'the stable channel (default: the newest release)')
  .option('--latest <tag>', 'the latest channel (default: the newest release)')
  .option('--testing <tag>', 'the testing channel (default: the newest tag, pre-releases included)')
  .option('--host <host>', 'address to listen on', '127.0.0.1')
  .option('--port <port>', 'port (0: any free port)', '0')
  .parse();

const o = program.opts<{
  stateDir: string;
  versions: string;
  stable?: string;
  latest?: string;
  testing?: string;
  host: string;
  port: string;
}>();
const stop = new AbortController();
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => stop.abort());

serveReleaseServer(
  o.stateDir,
  {
    versions: o.versions
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
    stable: o.stable,
    latest: o.latest,
    testing: o.testing,
    host: o.host,
    port: Number(o.port),
  },
  stop.signal,
  (_server, info) =>
    console.log(`k3s release server ${info.url} (pid ${info.pid}); install script ${info.installScriptUrl}`),
).catch((e: unknown) => {
  console.error(`k3s release server: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
});
