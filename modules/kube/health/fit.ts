// Whether a pod template may run on a node as the scheduler and the DaemonSet controller decide
// it: its nodeSelector, and the node's NoSchedule/NoExecute taints against its tolerations
// (k8s.io/api core/v1 Toleration.ToleratesTaint). Pure.
import type { V1Node, V1Taint, V1Toleration } from '@kubernetes/client-node';

export function toleratesTaint(t: V1Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  // An empty key with Exists tolerates every taint.
  if (!t.key) return t.operator === 'Exists';
  if (t.key !== taint.key) return false;
  return t.operator === 'Exists' || (t.value ?? '') === (taint.value ?? '');
}

export function fits(
  node: V1Node,
  spec: { nodeSelector?: Record<string, string>; tolerations?: V1Toleration[] },
): boolean {
  const labels = node.metadata?.labels ?? {};
  if (Object.entries(spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  return (node.spec?.taints ?? [])
    .filter((t) => t.effect === 'NoSchedule' || t.effect === 'NoExecute')
    .every((taint) => (spec.tolerations ?? []).some((t) => toleratesTaint(t, taint)));
}

/** Ready and not cordoned: where new pods may go. */
export function takesPods(node: V1Node): boolean {
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  return ready && !node.spec?.unschedulable;
}
