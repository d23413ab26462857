// Sequential Kubernetes API calls (listNode, as drain's and wait's polls make them) through
// herdbook's clients, beside client-node's own client on the same kube-sim in the same run:
// client-node 1.x opens a new TLS connection for every call, herdbook keeps one
// (engine/kube/keep-alive.ts). Both ends are in this process, on loopback: a real network adds
// its round trips to every new connection, so the gap only grows there.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as k8s from '@kubernetes/client-node';
import { createKubeFactory } from '../engine/kube/clients.js';
import { startKubeSim } from '../sandbox/kube-sim/index.js';
import { median } from './lib/stats.js';
import { ratioText, type Bench } from './lib/suite.js';

async function perCall(call: () => Promise<unknown>, n: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await call();
  return (performance.now() - t0) / n;
}

export const kubeApiBench: Bench = {
  name: 'kube-api',
  title: 'sequential Kubernetes API calls: herdbook against client-node alone',
  async run(ctx) {
    const calls = ctx.opts.quick ? 50 : 200;
    const sim = await startKubeSim({ scenario: { nodes: [{ name: 's-1' }, { name: 'a-1' }, { name: 'a-2' }] } });
    const dir = mkdtempSync(path.join(os.tmpdir(), 'herdbook-bench-kube-'));
    try {
      const file = path.join(dir, 'kubeconfig');
      writeFileSync(file, sim.kubeconfig, { mode: 0o600 });
      const herdbook = await createKubeFactory({
        connection: () => Promise.reject(new Error('no hosts in this benchmark')),
        settings: (h) => ({ kind: 'ssh', host: h }),
      })({ kubeconfig: file });
      const kc = new k8s.KubeConfig();
      kc.loadFromString(sim.kubeconfig);
      const plain = kc.makeApiClient(k8s.CoreV1Api);
      const base: number[] = [];
      const ours: number[] = [];
      // Interleaved rounds, so a busy moment of the machine weighs on both alike.
      for (let i = 0; i < ctx.opts.runs; i++) {
        base.push(await perCall(() => plain.listNode(), calls));
        ours.push(await perCall(() => herdbook.core.listNode(), calls));
      }
      const b = median(base);
      const h = median(ours);
      ctx.log(`  client-node alone       ${b.toFixed(2).padStart(6)} ms per call (a new TLS connection each)`);
      ctx.log(
        `  herdbook's clients      ${h.toFixed(2).padStart(6)} ms per call   (median of ${ctx.opts.runs} × ${calls})`,
      );
      return [
        {
          what: `${calls} sequential API calls (listNode, kube-sim on loopback)`,
          figure: `${h.toFixed(2)} ms per call`,
          ratio: ratioText(h / b, 'client-node alone'),
        },
      ];
    } finally {
      await sim.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
