// The sandbox's workloads, deployed once its nodes are Ready: on a real cluster the user
// deploys after the agents joined, and the scheduler spreads the replicas over the nodes it
// then has. Created with the API when only the first server was Ready, every web pod stayed
// there (a scheduler never moves a running pod), which cluster-health rightly reports as
// seed 000's "all pods on master". Both backends take the fragment through their admin
// surface (/__sim/apply) and make the pods with their own controllers and scheduler; this
// waits for them as `kubectl rollout status` would, so `sandbox up` returns a settled cluster.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { V1Node } from '@kubernetes/client-node';
import { apiClients } from '../real-kube/clients.js';
import { waitUntil } from '../real-kube/wait.js';
import { fetchJson } from './https-json.js';
import { sandboxWorkloads } from './scenario.js';

export type WorkloadTarget = {
  kubeconfig: string;
  /** Serves /__sim; its credentials are `<dir>/admin-token` and `<dir>/ca.crt`. */
  adminUrl: string;
  dir: string;
  /** The nodes that must be Ready first (not the spares, which join later). */
  nodes: string[];
  timeoutMs: number;
};

const NOT_READY = 'node.kubernetes.io/not-ready';

/** Why `node` takes no pods yet, or undefined. */
function notReady(name: string, node: V1Node | undefined): string | undefined {
  if (!node) return `node ${name} has not registered`;
  if (node.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') return `node ${name} is not Ready`;
  // The node lifecycle controller lifts this taint after Ready; until then the scheduler skips the node.
  if (node.spec?.taints?.some((t) => t.key === NOT_READY)) return `node ${name} still has the ${NOT_READY} taint`;
  return undefined;
}

export async function deployWorkloads(t: WorkloadTarget): Promise<void> {
  const api = apiClients(await readFile(t.kubeconfig, 'utf8'));
  let why = '';
  const wait = (what: string, check: () => Promise<string | undefined>) =>
    waitUntil(
      async () => {
        why = (await check()) ?? '';
        return why ? undefined : true;
      },
      {
        what,
        timeoutMs: t.timeoutMs,
        intervalMs: 200,
        detail: () => why,
      },
    );
  await wait(`the sandbox's nodes (${t.nodes.join(', ')}) Ready`, async () => {
    const nodes = (await api.core.listNode()).items;
    for (const name of t.nodes) {
      const w = notReady(
        name,
        nodes.find((n) => n.metadata?.name === name),
      );
      if (w) return w;
    }
    return undefined;
  });
  const token = (await readFile(path.join(t.dir, 'admin-token'), 'utf8')).trim();
  const ca = await readFile(path.join(t.dir, 'ca.crt'), 'utf8');
  const r = await fetchJson(`${t.adminUrl}/__sim/apply`, { method: 'POST', ca, token, body: sandboxWorkloads() });
  if (r.status !== 200) throw new Error(`deploying the sandbox's workloads: ${r.status} ${JSON.stringify(r.json)}`);
  await wait("the sandbox's workloads running", async () => {
    for (const d of (await api.apps.listDeploymentForAllNamespaces()).items) {
      const want = d.spec?.replicas ?? 1;
      if ((d.status?.availableReplicas ?? 0) < want || (d.status?.updatedReplicas ?? 0) < want)
        return `deployment ${d.metadata?.namespace}/${d.metadata?.name}: ${d.status?.availableReplicas ?? 0} of ${want} available`;
    }
    for (const d of (await api.apps.listDaemonSetForAllNamespaces()).items) {
      const s = d.status;
      if (!s || s.desiredNumberScheduled === 0 || s.numberReady < s.desiredNumberScheduled)
        return `daemonset ${d.metadata?.namespace}/${d.metadata?.name}: ${s?.numberReady ?? 0} of ${s?.desiredNumberScheduled ?? '?'} ready`;
    }
    return undefined;
  });
}
