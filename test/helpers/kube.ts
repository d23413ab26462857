// A Kubernetes API simulator per test file (or per suite, see teardown.ts) and herdbook's own
// client for it (through the same factory the engine uses, from a kubeconfig file).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createKubeFactory } from '../../engine/kube/clients.js';
import type { KubeClient } from '../../engine/kube/types.js';
import {
  createPki,
  FAST_TIMINGS,
  startKubeSim,
  type KubeSim,
  type KubeSimOptions,
  type Pki,
} from '../../sandbox/kube-sim/index.js';
import { teardown } from './teardown.js';

let pki: Pki | undefined;

export async function startSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  pki ??= createPki();
  const sim = await startKubeSim({ pki, ...options, timings: { ...FAST_TIMINGS, ...options.timings } });
  teardown(() => sim.close());
  return sim;
}

/** herdbook's KubeClient for the simulator, built from a kubeconfig file like a user's. */
export async function kubeFor(sim: KubeSim, user?: string): Promise<KubeClient> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-kube-'));
  teardown(() => rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'kubeconfig');
  writeFileSync(file, user ? sim.kubeconfigFor(user) : sim.kubeconfig);
  const factory = createKubeFactory({
    connection: () => Promise.reject(new Error('no hosts here')),
    settings: (h) => ({ kind: 'ssh', host: h }),
  });
  return factory({ kubeconfig: file });
}
