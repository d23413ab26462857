// A nodeSource that asks the machine: each node's kubelet version from a command (such as
// `<node root>/usr/local/bin/k3s --version`) or a file, and its liveness from a command
// (such as `systemctl is-active k3s`). A missing binary, a failing command or an unreadable
// file means the kubelet is down. Commands are argv arrays, never shell text.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import type { NodeReport, NodeSource } from './kubelets.js';

export type NodeCommands = {
  /** argv whose output contains the version, e.g. ["/srv/w-1/usr/local/bin/k3s", "--version"]. */
  versionCommand?: string[];
  /** A file whose content contains the version. */
  versionFile?: string;
  /** argv that exits 0 while the node's k3s service is up. */
  readyCommand?: string[];
};

const VERSION = /v\d+\.\d+\.\d+[^\s)]*/;

/** `k3s version v1.31.4+k3s1 (abcdef12)` → `v1.31.4+k3s1` (the first version on the first line that has one). */
export function parseVersion(text: string): string | undefined {
  for (const line of text.split('\n')) {
    const m = VERSION.exec(line);
    if (m) return m[0];
  }
  return undefined;
}

function run(argv: string[], timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    if (!argv.length) return resolve(undefined);
    execFile(argv[0], argv.slice(1), { timeout: timeoutMs }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

export function hasCommands(c: NodeCommands): boolean {
  return Boolean(c.versionCommand || c.versionFile || c.readyCommand);
}

export function commandNodeSource(nodes: Record<string, NodeCommands>, timeoutMs = 5000): NodeSource {
  return async (name: string): Promise<NodeReport | undefined> => {
    const c = nodes[name];
    if (!c) return {};
    if (c.readyCommand && (await run(c.readyCommand, timeoutMs)) === undefined) return undefined;
    let text: string | undefined;
    if (c.versionCommand) text = await run(c.versionCommand, timeoutMs);
    else if (c.versionFile) text = await readFile(c.versionFile, 'utf8').catch(() => undefined);
    else return { ready: true };
    const kubeletVersion = text === undefined ? undefined : parseVersion(text);
    return kubeletVersion ? { ready: true, kubeletVersion } : undefined;
  };
}
