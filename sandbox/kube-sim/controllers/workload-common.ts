// What the workload controllers share: ownership, activity, pods from a template, and
// the replica counts of a status.
import { defaultPod, isPodReady, isTerminal } from '../objects/pod.js';
import { controllerRef, randomSuffix } from '../objects/meta.js';
import type { PodAdmission } from '../objects/pod-admission.js';
import type { KubeObject, Pod, Workload } from '../types.js';

export const ownedBy = (o: KubeObject, owner: KubeObject) =>
  o.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid);
export const active = (p: Pod) => !p.metadata.deletionTimestamp && !isTerminal(p);

export function podFromTemplate(
  owner: Workload,
  admission: PodAdmission,
  extra: Partial<Pod['spec']> = {},
  labels: Record<string, string> = {},
): Pod {
  const t = structuredClone(owner.spec.template);
  const pod: Pod = {
    metadata: {
      name: `${owner.metadata.name}-${randomSuffix()}`,
      generateName: `${owner.metadata.name}-`,
      namespace: owner.metadata.namespace,
      labels: { ...t.metadata?.labels, ...labels },
      annotations: t.metadata?.annotations,
      ownerReferences: [controllerRef(owner)],
    },
    spec: { ...t.spec, ...extra },
    status: {},
  };
  if (!pod.metadata.annotations) delete pod.metadata.annotations;
  defaultPod(pod, admission);
  return pod;
}

export function replicaStatus(owned: Pod[], generation: number | undefined) {
  const live = owned.filter(active);
  const ready = live.filter(isPodReady).length;
  return {
    replicas: live.length,
    fullyLabeledReplicas: live.length,
    readyReplicas: ready,
    availableReplicas: ready,
    observedGeneration: generation ?? 1,
  };
}
