// Pods whose containers the kubelet cannot run, by name: what `kubectl get pods` shows in its
// STATUS column for them (seed 000's node-exporter in CreateContainerConfigError).
import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';

/** Waiting reasons that do not go away by waiting: the kubelet's own words (pkg/kubelet/images, kuberuntime). */
export const STUCK_REASONS: ReadonlySet<string> = new Set([
  'CrashLoopBackOff',
  'CreateContainerConfigError',
  'CreateContainerError',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
  'RunContainerError',
]);

export type StuckPod = {
  namespace: string;
  name: string;
  node?: string;
  container: string;
  reason: string;
  message?: string;
  restarts: number;
};

const statuses = (p: V1Pod): V1ContainerStatus[] => [
  ...(p.status?.initContainerStatuses ?? []),
  ...(p.status?.containerStatuses ?? []),
];

/** The first container of the pod stuck waiting, or undefined. */
export function stuckPod(p: V1Pod): StuckPod | undefined {
  if (p.metadata?.deletionTimestamp) return undefined;
  const c = statuses(p).find((s) => STUCK_REASONS.has(s.state?.waiting?.reason ?? ''));
  if (!c) return undefined;
  return {
    namespace: p.metadata?.namespace ?? '',
    name: p.metadata?.name ?? '',
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    container: c.name,
    reason: c.state!.waiting!.reason!,
    ...(c.state?.waiting?.message ? { message: c.state.waiting.message } : {}),
    restarts: c.restartCount ?? 0,
  };
}

export function stuckText(s: StuckPod): string {
  return `pod ${s.namespace}/${s.name}${s.node ? ` on ${s.node}` : ''} is in ${s.reason} (container ${s.container}${s.restarts ? `, ${s.restarts} restarts` : ''}${s.message ? `: ${s.message}` : ''})`;
}
