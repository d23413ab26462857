// A nodeSource that asks the machine: each node's kubelet version from a command (such as
// `<node root>/usr/local/bin/k3s --version`) or a file, and its liveness from a command
// (such as `systemctl is-active k3s`). A missing binary, a failing command or an unreadable
// file means the kubelet is down. Commands are argv arrays, never shell text.
import { execFile } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import type { EtcdFiles } from '../../k3s-fake/etcd-members.js';
import type { NodeReport, NodeSource } from './kubelets.js';

export type NodeCommands = {
  /** argv whose output contains the version, e.g. ["/srv/w-1/usr/local/bin/k3s", "--version"]. */
  versionCommand?: string[];
  /** A file whose content contains the version. */
  versionFile?: string;
  /** argv that exits 0 while the node's k3s service is up. */
  readyCommand?: string[];
  /**
   * Up while one of these files has a line starting with `active` (the fake systemd's unit
   * state files): read here, where a command would be a process every poll.
   */
  readyFiles?: string[];
  /**
   * The node's etcd files (a fake k3s server's member name, its cluster's member list): the
   * backend runs the fake k3s's etcd controllers on its Node (k3s-fake/etcd-controllers.ts).
   */
  etcdFiles?: EtcdFiles;
};

/** The etcd files of the nodes that have them, by node name. */
export function etcdFilesOf(nodes: Record<string, NodeCommands>): Record<string, EtcdFiles> {
  return Object.fromEntries(
    Object.entries(nodes).flatMap(([name, c]) => (c.etcdFiles ? [[name, c.etcdFiles] as const] : [])),
  );
}

/**
 * Files of a few bytes, read many times a second in fast mode: synchronously, which takes
 * microseconds, where each asynchronous open, fstat, read and close is a trip through libuv's
 * thread pool (measured: a tenth of a core for an idle three-node sandbox).
 */
function readSmall(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function anyActive(files: string[]): boolean {
  for (const f of files) {
    const text = readSmall(f) ?? '';
    if (text.split('\n').some((l) => l.startsWith('active'))) return true;
  }
  return false;
}

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
  return Boolean(c.versionCommand || c.versionFile || c.readyCommand || c.readyFiles);
}

/**
 * The version command's output, run again only when its program file changed (replaced or
 * rewritten: another inode, size or mtime). Polled every 50 ms per node in fast mode, the fake
 * k3s (34 KB of sh) for `--version` was most of an idle sandbox's CPU.
 */
function cachedVersion(timeoutMs: number) {
  const seen = new Map<string, { key: string; text: string }>();
  return async (argv: string[]): Promise<string | undefined> => {
    const st = statSync(argv[0], { throwIfNoEntry: false });
    // A program found through PATH (or not at all): no file to watch, so run it as before.
    if (!st) return run(argv, timeoutMs);
    const key = `${st.ino}:${st.size}:${st.mtimeMs}`;
    const id = argv.join('\0');
    const hit = seen.get(id);
    if (hit?.key === key) return hit.text;
    const text = await run(argv, timeoutMs);
    if (text === undefined) seen.delete(id);
    else seen.set(id, { key, text });
    return text;
  };
}

export function commandNodeSource(nodes: Record<string, NodeCommands>, timeoutMs = 5000): NodeSource {
  const version = cachedVersion(timeoutMs);
  return async (name: string): Promise<NodeReport | undefined> => {
    const c = nodes[name];
    if (!c) return {};
    if (c.readyCommand && (await run(c.readyCommand, timeoutMs)) === undefined) return undefined;
    if (c.readyFiles && !anyActive(c.readyFiles)) return undefined;
    let text: string | undefined;
    if (c.versionCommand) text = await version(c.versionCommand);
    else if (c.versionFile) text = readSmall(c.versionFile);
    else return { ready: true };
    const kubeletVersion = text === undefined ? undefined : parseVersion(text);
    return kubeletVersion ? { ready: true, kubeletVersion } : undefined;
  };
}
