// A sandbox cluster per test file and backend (real sshd nodes, fake k3s, and kube-sim or a
// real control plane), brought up through the real CLI and torn down after the file's tests;
// both serve kube-sim's admin surface (/__sim). And the helpers to compare what --check said
// with what the real run did.
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { createSshConnection } from '../../../engine/connection/ssh/index.js';
import { createKubeFactory } from '../../../engine/kube/clients.js';
import type { KubeClient } from '../../../engine/kube/types.js';
import type { RunEvent } from '../../../engine/report/events.js';
import { readSandboxState, type SandboxState } from '../../../sandbox/cluster/index.js';
import { fleetPaths } from '../../../sandbox/fleet/index.js';
import type { BackendName } from '../../helpers/backends.js';
import { fetchJson } from '../../../sandbox/cluster/https-json.js';
import { herdbook, ROOT, type Run } from '../helpers.js';

export type Sandbox = {
  backend: BackendName;
  state: SandboxState;
  kube: KubeClient;
  /** `herdbook run playbooks/<name> -i <sandbox inventory> --output json ...args` */
  run(playbook: string, ...args: string[]): Promise<Run>;
  /** The admin surface (kube-sim's /__sim, not under /api): steer a node, read the request log. */
  admin(path: string, method?: string, body?: unknown): Promise<unknown>;
  /** The admin's (herdbook's) writes since the last clear: kube-sim's request log, or the real API server's audit log. */
  mutations(): Promise<{ method: string; path: string }[]>;
  clearRequests(): Promise<void>;
  /** Requests the k3s release server saw (install script, binaries, channels). */
  releaseRequests(): string[];
  /** Run a command on a sandbox node over SSH (as an operator would, outside herdbook). */
  sh(node: string, argv: string[]): Promise<{ rc: number; stdout: string; stderr: string }>;
};

/** `sandbox up` flags for a backend: kube-sim with fast simulated time, or a real control plane. */
export const backendFlags = (backend: BackendName): string[] =>
  backend === 'real' ? ['--kube-apiserver'] : ['--fast'];

export function sandboxFor(flags: string[] = [], backend: BackendName = 'kube-sim'): () => Sandbox {
  let sb: Sandbox | undefined;
  let stateDir: string | undefined;
  beforeAll(async () => {
    const parent = mkdtempSync(path.join(os.tmpdir(), 'hb-e2e-'));
    // The fleet's become users must be able to enter it (sshd reads their keys below it).
    chmodSync(parent, 0o755);
    stateDir = path.join(parent, 'sandbox');
    const up = await herdbook(['sandbox', 'up', '--state-dir', stateDir, ...backendFlags(backend), ...flags], {
      timeoutMs: 240_000,
    });
    if (up.code !== 0) throw new Error(`sandbox up failed (${up.code}):\n${up.stderr}\n${up.stdout}`);
    const state = (await readSandboxState(stateDir))!;
    const kube = await createKubeFactory({
      connection: () => Promise.reject(new Error('unused')),
      settings: (h) => ({ kind: 'ssh', host: h }),
    })({ kubeconfig: state.kubeconfig });
    const token = readFileSync(path.join(state.sim.dir, 'admin-token'), 'utf8').trim();
    const ca = readFileSync(path.join(state.sim.dir, 'ca.crt'), 'utf8');
    const admin = async (p: string, method = 'GET', body?: unknown) => {
      const r = await fetchJson(`${state.sim.adminUrl ?? state.sim.url}${p}`, { method, ca, token, body });
      // A refused steer (a knob the backend lacks, a node it does not know) must not pass unnoticed.
      if (r.status >= 300) throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    };
    sb = {
      backend,
      state,
      kube,
      admin,
      run: (playbook, ...args) =>
        herdbook(['run', path.join(ROOT, 'playbooks', playbook), '-i', state.inventory, '--output', 'json', ...args], {
          timeoutMs: 240_000,
        }),
      mutations: async () =>
        ((await admin('/__sim/requests?mutating=true')) as { items: { method: string; path: string }[] }).items.map(
          (r) => ({ method: r.method, path: r.path }),
        ),
      clearRequests: async () => void (await admin('/__sim/reset-requests', 'POST')),
      sh: async (node, argv) => {
        const n = state.nodes.find((x) => x.name === node)!;
        const paths = fleetPaths(path.join(state.stateDir, 'fleet'));
        const conn = createSshConnection({
          kind: 'ssh',
          host: node,
          address: '127.0.0.1',
          port: n.port,
          user: 'root',
          privateKeyFile: paths.clientKey,
          knownHostsFile: paths.knownHosts,
          hostKeyChecking: 'strict',
        });
        try {
          return await conn.exec(argv);
        } finally {
          await conn.close();
        }
      },
      releaseRequests: () =>
        readFileSync(state.release.requestLog, 'utf8')
          .split('\n')
          .filter(Boolean)
          .map((l) => (JSON.parse(l) as { path: string }).path),
    };
  }, 300_000);
  afterAll(async () => {
    if (stateDir) await herdbook(['sandbox', 'down', '--state-dir', stateDir], { timeoutMs: 60_000 });
  }, 120_000);
  return () => {
    if (!sb) throw new Error('the sandbox is not up');
    return sb;
  };
}

type Result = Extract<RunEvent, { type: 'task_result' }>;

export const results = (r: Run): Result[] => r.events.filter((e): e is Result => e.type === 'task_result');
export const recap = (r: Run) => r.events.find((e): e is Extract<RunEvent, { type: 'recap' }> => e.type === 'recap')!;

/** What changed (or would), as comparable lines: host, task, and each planned change. */
export function changeLines(r: Run): string[] {
  return results(r)
    .filter((e) => e.status === 'changed')
    .flatMap((e) => (e.changes?.length ? e.changes : ['(no plan)']).map((c) => `${e.host} | ${e.task} | ${c}`));
}

/**
 * Check mode lists the pods on a node when it looks; pods the rollout itself moves onto a node
 * drained later are evicted there too (README says so). Compare everything else exactly.
 */
export function withoutEvictions(lines: string[]): string[] {
  return lines.filter((l) => !/ \| evict \S+$/.test(l));
}

const EVICT = / \| evict (\S+)$/;

/**
 * The run's evictions --check did not list: [] when the check saw every pod the run evicted.
 * Throws when the check listed an eviction the run did not make, or a listed pod was evicted
 * from another node: only pods the rollout itself moved (made after the check looked) may be extra.
 */
export function unpredictedEvictions(check: string[], real: string[]): string[] {
  const predicted = check.filter((l) => EVICT.test(l));
  const made = real.filter((l) => EVICT.test(l));
  const missing = predicted.filter((l) => !made.includes(l));
  if (missing.length) throw new Error(`--check predicted evictions the run did not make:\n${missing.join('\n')}`);
  const known = new Set(predicted.map((l) => EVICT.exec(l)![1]));
  const extra = made.filter((l) => !predicted.includes(l));
  const moved = extra.filter((l) => known.has(EVICT.exec(l)![1]));
  if (moved.length) throw new Error(`pods --check listed were evicted from another node:\n${moved.join('\n')}`);
  return extra;
}
