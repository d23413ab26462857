// The data drain decides on, fetched once up front: each pod as plain facts, so the filters
// are pure functions testable with tables.
import type { V1Pod } from '@kubernetes/client-node';

export type PodInfo = {
  namespace: string;
  name: string;
  uid: string;
  labels: Record<string, string>;
  phase: string;
  /** The managing controller (ownerReference with controller: true). */
  controller?: { kind: string; name: string };
  /** For DaemonSet pods: whether that DaemonSet still exists. */
  daemonSetExists?: boolean;
  mirror: boolean;
  emptyDir: boolean;
  /** Seconds since deletion started, when the pod is terminating. */
  deletingFor?: number;
};

export function podId(p: { namespace: string; name: string }): string {
  return `${p.namespace}/${p.name}`;
}

export function podInfo(pod: V1Pod, now: number): PodInfo {
  const owner = pod.metadata?.ownerReferences?.find((o) => o.controller);
  const deletion = pod.metadata?.deletionTimestamp;
  return {
    namespace: pod.metadata?.namespace ?? 'default',
    name: pod.metadata?.name ?? '',
    uid: pod.metadata?.uid ?? '',
    labels: pod.metadata?.labels ?? {},
    phase: pod.status?.phase ?? 'Unknown',
    controller: owner ? { kind: owner.kind, name: owner.name } : undefined,
    mirror: Boolean(pod.metadata?.annotations?.['kubernetes.io/config.mirror']),
    emptyDir: (pod.spec?.volumes ?? []).some((v) => v.emptyDir !== undefined && v.emptyDir !== null),
    deletingFor: deletion ? Math.max(0, (now - new Date(deletion).getTime()) / 1000) : undefined,
  };
}

export function finished(p: PodInfo): boolean {
  return p.phase === 'Succeeded' || p.phase === 'Failed';
}
