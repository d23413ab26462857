// Nodes for the k3s-fake tests: node roots laid out as the fleet lays them out, with the
// fleet's fake systemctl, and commands run in a private mount namespace over them (no sshd).
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { NODE_PATHS, nodeRoot } from '../../../sandbox/fleet/layout.js';
import { installFakeSystemctl, readFakeSystemdLog } from '../../../sandbox/fleet/fake-systemctl.js';
import { runInNodeRoot, type RunResult } from '../../../sandbox/k3s-fake/node-root.js';
import { ensureTools, K3S_FAKE_TOOLS } from '../../../sandbox/k3s-fake/prerequisites.js';

export type TestNode = {
  name: string;
  root: string;
  /** Run a shell command on the node (sh -c), with extra environment. */
  sh(command: string, env?: Record<string, string>, input?: string): Promise<RunResult>;
  run(argv: string[], env?: Record<string, string>, input?: string): Promise<RunResult>;
  /** Unit actions of the fleet's systemctl, e.g. ['enable k3s.service', 'restart k3s.service ok']. */
  systemd(): Promise<string[]>;
};

/** What these tests run besides the fake's own needs: wget (the other downloader), unzip (to check .zip snapshots). */
const TEST_TOOLS = [
  ...K3S_FAKE_TOOLS,
  { file: '/usr/bin/wget', pkg: 'wget' },
  { file: '/usr/bin/unzip', pkg: 'unzip' },
];

/** A fresh state directory (removed after the file's tests), once the tools are there. */
export function testStateDir(): string {
  beforeAll(() => ensureTools(TEST_TOOLS), 600_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herdbook-k3sfake-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export async function makeNode(stateDir: string, name: string): Promise<TestNode> {
  const root = nodeRoot(stateDir, name);
  for (const p of NODE_PATHS) await mkdir(path.join(root, p), { recursive: true });
  await installFakeSystemctl(stateDir, name);
  const run = (argv: string[], env?: Record<string, string>, input?: string) =>
    runInNodeRoot(root, argv, { env, input });
  return {
    name,
    root,
    run,
    sh: (command, env, input) => run(['sh', '-c', command], env, input),
    systemd: async () =>
      (await readFakeSystemdLog(stateDir, name)).map((e) =>
        [e.action, e.unit, e.result].filter((w) => w && w !== '-').join(' '),
      ),
  };
}

/** stdout+stderr, for failure messages. */
export function output(r: RunResult): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}`;
}
