// Seed 000's "all workloads are concentrated on the master node": every pod of the cluster's
// workloads (controller-owned, DaemonSets aside, as they run everywhere by design) on one node
// while other nodes are Ready, schedulable and would take them. Pure.
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { fits, takesPods } from './fit.js';

export type Concentration = { node: string; pods: number; idle: string[] };

const workloadPod = (p: V1Pod) => {
  const owner = p.metadata?.ownerReferences?.find((o) => o.controller);
  return !!owner && owner.kind !== 'DaemonSet' && !p.metadata?.deletionTimestamp && p.status?.phase === 'Running';
};

/** One node with every workload pod (two at least: one pod is always on one node), others idle; else undefined. */
export function concentration(nodes: V1Node[], pods: V1Pod[]): Concentration | undefined {
  const running = pods.filter(workloadPod);
  const on = [...new Set(running.map((p) => p.spec?.nodeName ?? ''))];
  if (running.length < 2 || on.length !== 1) return undefined;
  // Other nodes that take pods, and would take at least one of these (their taints and selectors allow it).
  const idle = nodes
    .filter((n) => n.metadata?.name !== on[0] && takesPods(n))
    .filter((n) =>
      running.some((p) => fits(n, { nodeSelector: p.spec?.nodeSelector, tolerations: p.spec?.tolerations })),
    )
    .map((n) => n.metadata?.name ?? '')
    .sort();
  return idle.length ? { node: on[0], pods: running.length, idle } : undefined;
}

export function concentrationText(c: Concentration): string {
  return `every workload pod (${c.pods}) runs on ${c.node} while ${c.idle.join(', ')} ${c.idle.length === 1 ? 'is' : 'are'} Ready and schedulable: the other nodes take no pods (check their kubelets' versions and events), or restart the workloads to spread them`;
}
