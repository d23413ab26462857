// After the scenario is applied: wait until the cluster stands as described, as kube-sim's
// startKubeSim returns a settled cluster. Nodes whose kubelet is up are Ready and rid of
// the not-ready taint, workloads have all their replicas ready, bound pods on such nodes run.
import type { ApiClients } from './clients.js';
import type { FakeKubelets } from './kubelets.js';
import { healthOf } from './kubelet-node.js';
import { waitUntil } from './wait.js';

const NOT_READY = 'node.kubernetes.io/not-ready';

/** What is not settled yet, or undefined. */
async function unsettled(api: ApiClients, kubelets: FakeKubelets): Promise<string | undefined> {
  const ready = new Set<string>();
  for (const n of (await api.core.listNode()).items) {
    const name = n.metadata!.name!;
    if (healthOf(kubelets.kubelet(name)) !== 'ready') continue;
    if (n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True') return `node ${name} is not Ready yet`;
    if (n.spec?.taints?.some((t) => t.key === NOT_READY)) return `node ${name} still has the ${NOT_READY} taint`;
    ready.add(name);
  }
  for (const d of (await api.apps.listDeploymentForAllNamespaces()).items) {
    const want = d.spec?.replicas ?? 1;
    const s = d.status ?? {};
    if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0) || (s.updatedReplicas ?? 0) !== want || (s.readyReplicas ?? 0) !== want) {
      return `deployment ${d.metadata?.namespace}/${d.metadata?.name}: ${s.readyReplicas ?? 0}/${want} ready`;
    }
  }
  for (const d of (await api.apps.listDaemonSetForAllNamespaces()).items) {
    const s = d.status;
    if (!s || (s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0) || s.numberReady !== s.desiredNumberScheduled) {
      return `daemonset ${d.metadata?.namespace}/${d.metadata?.name}: ${s?.numberReady ?? 0}/${s?.desiredNumberScheduled ?? '?'} ready`;
    }
  }
  for (const p of (await api.core.listPodForAllNamespaces()).items) {
    if (p.spec?.nodeName && ready.has(p.spec.nodeName) && (p.status?.phase ?? 'Pending') === 'Pending') return `pod ${p.metadata?.namespace}/${p.metadata?.name} is still Pending`;
  }
  return undefined;
}

export async function waitSettled(api: ApiClients, kubelets: FakeKubelets, timeoutMs = 60_000): Promise<void> {
  let last = '';
  await waitUntil(
    async () => {
      last = (await unsettled(api, kubelets)) ?? '';
      return last ? undefined : true;
    },
    { what: 'the scenario', timeoutMs, intervalMs: 200, detail: () => `still waiting for: ${last}` },
  );
}
