// What a running sandbox is, written to <stateDir>/sandbox.json by `up` and read by `status`,
// `down`, the demo and the end-to-end tests.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export type SandboxNode = {
  name: string;
  role: 'server' | 'agent' | 'proxmox' | 'spare';
  port: number;
  root: string;
  vmid?: number;
};

export type SandboxState = {
  stateDir: string;
  created: string;
  proxmox: boolean;
  /** The version k3s was installed at, and every release the channel server serves. */
  version: string;
  versions: string[];
  stable: string;
  nodes: SandboxNode[];
  /**
   * The Kubernetes API: kube-sim, or (`kind: 'real-kube'`) a real control plane with played kubelets.
   * `adminUrl` serves kube-sim's /__sim admin surface (kube-sim: the API's own url; real-kube: a
   * port of its own), with `<dir>/admin-token` and `<dir>/ca.crt`.
   */
  sim: {
    pid: number;
    url: string;
    adminUrl?: string;
    dir: string;
    kubeconfig: string;
    kind?: 'kube-sim' | 'real-kube';
  };
  release: { pid: number; url: string; channelUrl: string; installScriptUrl: string; requestLog: string };
  inventory: string;
  /** For operators: kubectl --kubeconfig <this> works against the simulator. */
  kubeconfig: string;
};

export function defaultSandboxDir(): string {
  return process.env.HERDBOOK_SANDBOX_DIR ?? path.join(os.tmpdir(), 'herdbook-sandbox');
}

export function stateFile(stateDir: string): string {
  return path.join(stateDir, 'sandbox.json');
}

export async function readSandboxState(stateDir: string): Promise<SandboxState | undefined> {
  try {
    return JSON.parse(await readFile(stateFile(stateDir), 'utf8')) as SandboxState;
  } catch {
    return undefined;
  }
}

export async function writeSandboxState(s: SandboxState): Promise<void> {
  await writeFile(stateFile(s.stateDir), `${JSON.stringify(s, null, 2)}\n`);
}
