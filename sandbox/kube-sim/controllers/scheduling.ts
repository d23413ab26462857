// The default scheduler's filters that matter here: cordon, taints, nodeSelector; and a
// spread over nodes. Shared by the scheduler and the DaemonSet controller.
import { isNodeReady } from '../objects/node.js';
import type { Node, Pod, Taint, Toleration } from '../types.js';

export function tolerates(tolerations: Toleration[] | undefined, taint: Taint): boolean {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (!t.key) return t.operator === 'Exists';
    if (t.key !== taint.key) return false;
    return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
  });
}

export type Misfit = 'unschedulable' | 'selector' | { taint: Taint };

/** Why `pod` cannot go to `node`, or undefined when it can. */
export function misfit(pod: Pod, node: Node): Misfit | undefined {
  if (
    node.spec.unschedulable &&
    !tolerates(pod.spec.tolerations, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' })
  ) {
    return 'unschedulable';
  }
  for (const t of node.spec.taints ?? []) {
    if (t.effect !== 'PreferNoSchedule' && !tolerates(pod.spec.tolerations, t)) return { taint: t };
  }
  const labels = node.metadata.labels ?? {};
  if (Object.entries(pod.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return 'selector';
  return undefined;
}

/** The scheduler's "0/3 nodes are available: ..." message. */
export function unschedulableMessage(pod: Pod, all: readonly Node[]): string {
  const counts = new Map<string, number>();
  for (const n of all) {
    const m = misfit(pod, n);
    const why =
      m === 'unschedulable'
        ? 'node(s) were unschedulable'
        : m === 'selector'
          ? "node(s) didn't match Pod's node affinity/selector"
          : m
            ? `node(s) had untolerated taint {${m.taint.key}: ${m.taint.value ?? ''}}`
            : 'node(s) were not ready';
    counts.set(why, (counts.get(why) ?? 0) + 1);
  }
  const reasons = [...counts]
    .map(([why, n]) => `${n} ${why}`)
    .sort()
    .join(', ');
  return `0/${all.length} nodes are available: ${reasons}. preemption: 0/${all.length} nodes are available: ${all.length} Preemption is not helpful for scheduling.`;
}

/** The feasible node with the fewest pods of the same owner, then the fewest pods. */
export function pickNode(pod: Pod, all: readonly Node[], placed: readonly Pod[]): Node | undefined {
  const owner = pod.metadata.ownerReferences?.find((r) => r.controller)?.uid;
  const load = (n: Node, sameOwner: boolean) =>
    placed.filter(
      (p) =>
        p.spec.nodeName === n.metadata.name &&
        !p.metadata.deletionTimestamp &&
        (!sameOwner || p.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner)),
    ).length;
  const feasible = all.filter((n) => isNodeReady(n) && !misfit(pod, n));
  feasible.sort(
    (a, b) =>
      load(a, true) - load(b, true) ||
      load(a, false) - load(b, false) ||
      a.metadata.name!.localeCompare(b.metadata.name!),
  );
  return feasible[0];
}
