// Reading what a drain decides on, once, right before planning: the node, its pods (with
// whether their DaemonSets exist) and every PodDisruptionBudget with its current status.
import type { V1LabelSelector, V1Node } from '@kubernetes/client-node';
import { kubeError, statusCode } from '../../../engine/kube/errors.js';
import type { KubeClient } from '../../../engine/kube/types.js';
import { matchesSelector } from '../../../engine/kube/selectors.js';
import { podInfo, type PodInfo } from './pods.js';

export const CORDONED_BY = 'herdbook.dev/cordoned-by';
export const CORDONED_AT = 'herdbook.dev/cordoned-at';
/** The field manager of our cordon patches: the API server records it as the owner of spec.unschedulable. */
export const FIELD_MANAGER = 'herdbook';

/**
 * Whether the node's cordon is herdbook's. Our annotation alone is not enough: a `kubectl
 * uncordon` leaves it behind, and a later `kubectl cordon` by the operator would then look like
 * ours and be undone. A real API server records who last set spec.unschedulable in
 * managedFields; when it does, that owner decides. (Without managedFields, the annotation.)
 */
export function isHerdbookCordon(n: V1Node): boolean {
  if (!n.metadata?.annotations?.[CORDONED_BY]) return false;
  const owners = (n.metadata.managedFields ?? [])
    .filter(
      (m) =>
        (m.fieldsV1 as { 'f:spec'?: Record<string, unknown> } | undefined)?.['f:spec']?.['f:unschedulable'] !==
        undefined,
    )
    .map((m) => m.manager);
  return owners.length === 0 || owners.includes(FIELD_MANAGER);
}

export type PdbInfo = {
  namespace: string;
  name: string;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  selector?: V1LabelSelector;
};

export type DrainState = {
  node: string;
  exists: boolean;
  unschedulable: boolean;
  /** Cordoned earlier by herdbook (our annotation), as opposed to by an operator. */
  cordonedByHerdbook: boolean;
  pods: PodInfo[];
  pdbs: PdbInfo[];
  server: string;
};

export async function readNodeState(
  kube: KubeClient,
  node: string,
): Promise<Pick<DrainState, 'exists' | 'unschedulable' | 'cordonedByHerdbook'>> {
  try {
    const n = await kube.core.readNode({ name: node });
    return { exists: true, unschedulable: Boolean(n.spec?.unschedulable), cordonedByHerdbook: isHerdbookCordon(n) };
  } catch (e) {
    if (statusCode(e) === 404) return { exists: false, unschedulable: false, cordonedByHerdbook: false };
    throw kubeError(e, `reading node ${node}`, kube.server);
  }
}

export async function readPdbs(kube: KubeClient): Promise<PdbInfo[]> {
  try {
    const list = await kube.policy.listPodDisruptionBudgetForAllNamespaces({});
    return list.items.map((p) => ({
      namespace: p.metadata?.namespace ?? 'default',
      name: p.metadata?.name ?? '',
      disruptionsAllowed: p.status?.disruptionsAllowed ?? 0,
      currentHealthy: p.status?.currentHealthy ?? 0,
      desiredHealthy: p.status?.desiredHealthy ?? 0,
      expectedPods: p.status?.expectedPods ?? 0,
      selector: p.spec?.selector,
    }));
  } catch (e) {
    throw kubeError(e, 'listing PodDisruptionBudgets', kube.server);
  }
}

export async function readPods(
  kube: KubeClient,
  node: string,
  podSelector: string | undefined,
  now: number,
): Promise<PodInfo[]> {
  let items;
  try {
    items = (
      await kube.core.listPodForAllNamespaces({
        fieldSelector: `spec.nodeName=${node}`,
        ...(podSelector ? { labelSelector: podSelector } : {}),
      })
    ).items;
  } catch (e) {
    throw kubeError(e, `listing pods on node ${node}`, kube.server);
  }
  const pods = items.map((p) => podInfo(p, now));
  const dsNames = [
    ...new Set(
      pods.filter((p) => p.controller?.kind === 'DaemonSet').map((p) => `${p.namespace}/${p.controller!.name}`),
    ),
  ];
  const exists = new Map<string, boolean>();
  for (const id of dsNames) {
    const [namespace, name] = id.split('/');
    try {
      await kube.apps.readNamespacedDaemonSet({ name, namespace });
      exists.set(id, true);
    } catch (e) {
      if (statusCode(e) !== 404) throw kubeError(e, `reading DaemonSet ${id}`, kube.server);
      exists.set(id, false);
    }
  }
  for (const p of pods)
    if (p.controller?.kind === 'DaemonSet') p.daemonSetExists = exists.get(`${p.namespace}/${p.controller.name}`);
  return pods;
}

/** The budgets covering a pod (same namespace, selector matches its labels). */
export function pdbsFor(pod: PodInfo, pdbs: readonly PdbInfo[]): PdbInfo[] {
  return pdbs.filter((b) => b.namespace === pod.namespace && matchesSelector(pod.labels, b.selector));
}
