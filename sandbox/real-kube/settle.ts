// After the scenario is applied: wait until the cluster stands still, as kube-sim's
// startKubeSim returns a settled cluster. Nodes whose kubelet is up are Ready and rid of the
// not-ready taint; workloads have made their pods; every pod is running, or is waiting for
// something that will not come by itself (no node fits it, or its node's kubelet is down; a
// claim the played provisioner will bind does come by itself).
import type { V1PersistentVolumeClaim, V1Pod } from '@kubernetes/client-node';
import type { ApiClients } from './clients.js';
import type { FakeKubelets } from './kubelets.js';
import { healthOf } from './kubelet-node.js';
import { LOCAL_PATH, SELECTED_NODE } from './local-path.js';
import { waitUntil } from './wait.js';

const NOT_READY = 'node.kubernetes.io/not-ready';

type Claims = Map<string, V1PersistentVolumeClaim>;

/**
 * Why a pod the scheduler has not placed will still be placed by itself, through its claim: the
 * played local-path provisioner has still to bind the claim, or has bound it on a node that
 * takes the pod (the scheduler is in its binding cycle; its Unschedulable condition is stale).
 */
function claimPending(p: V1Pod, claims: Claims, schedulable: Set<string>): string | undefined {
  for (const v of p.spec?.volumes ?? []) {
    const name = v.persistentVolumeClaim?.claimName;
    const c = name ? claims.get(`${p.metadata?.namespace}/${name}`) : undefined;
    if (!c || (c.spec?.storageClassName ?? LOCAL_PATH) !== LOCAL_PATH) continue;
    if (c.status?.phase !== 'Bound') return `its claim ${name} to be bound`;
    const node = c.metadata?.annotations?.[SELECTED_NODE];
    if (node && schedulable.has(node)) return `the scheduler to bind it to ${node}, where its claim ${name} is`;
  }
  return undefined;
}

function podUnsettled(p: V1Pod, ready: Set<string>, claims: Claims, schedulable: Set<string>): string | undefined {
  const phase = p.status?.phase ?? 'Pending';
  if (phase !== 'Pending' || p.metadata?.deletionTimestamp) return undefined;
  const id = `${p.metadata?.namespace}/${p.metadata?.name}`;
  const node = p.spec?.nodeName;
  if (node) return ready.has(node) ? `pod ${id} is still Pending on ${node}` : undefined;
  const waits = claimPending(p, claims, schedulable);
  if (waits) return `pod ${id} waits for ${waits}`;
  const scheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled');
  return scheduled?.status === 'False' ? undefined : `pod ${id} is not scheduled yet`;
}

/** What is not settled yet, or undefined. */
async function unsettled(api: ApiClients, kubelets: FakeKubelets): Promise<string | undefined> {
  const ready = new Set<string>();
  const schedulable = new Set<string>();
  for (const n of (await api.core.listNode()).items) {
    const name = n.metadata!.name!;
    if (healthOf(kubelets.kubelet(name)) !== 'ready') continue;
    if (n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True')
      return `node ${name} is not Ready yet`;
    if (n.spec?.taints?.some((t) => t.key === NOT_READY)) return `node ${name} still has the ${NOT_READY} taint`;
    ready.add(name);
    if (!n.spec?.unschedulable) schedulable.add(name);
  }
  for (const d of (await api.apps.listDeploymentForAllNamespaces()).items) {
    const s = d.status ?? {};
    if ((s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0) || (s.replicas ?? 0) < (d.spec?.replicas ?? 1))
      return `deployment ${d.metadata?.namespace}/${d.metadata?.name} has not made its pods yet`;
  }
  for (const d of (await api.apps.listDaemonSetForAllNamespaces()).items) {
    const s = d.status;
    if (
      !s ||
      (s.observedGeneration ?? 0) < (d.metadata?.generation ?? 0) ||
      s.currentNumberScheduled !== s.desiredNumberScheduled
    ) {
      return `daemonset ${d.metadata?.namespace}/${d.metadata?.name} has not made its pods yet`;
    }
  }
  const claims: Claims = new Map(
    (await api.core.listPersistentVolumeClaimForAllNamespaces()).items.map((c) => [
      `${c.metadata?.namespace}/${c.metadata?.name}`,
      c,
    ]),
  );
  for (const p of (await api.core.listPodForAllNamespaces()).items) {
    const why = podUnsettled(p, ready, claims, schedulable);
    if (why) return why;
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
