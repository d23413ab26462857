// Reading the workloads a drain evicted from: each Kind/namespace/name (a ReplicaSet resolved to
// the Deployment that owns it, as the Deployment is what keeps its pods), its wanted replicas and
// every pod it owns now, wherever they run.
import type { V1OwnerReference, V1Pod, V1ReplicaSet } from '@kubernetes/client-node';
import { kubeError, statusCode } from '../../../engine/kube/errors.js';
import type { KubeClient } from '../../../engine/kube/types.js';
import { podView, type WorkloadView } from './placement.js';

export type WorkloadRef = { kind: string; namespace: string; name: string };

/** "ReplicaSet/default/web-5d8f" → its parts; undefined when it is not three parts. */
export function parseRef(id: string): WorkloadRef | undefined {
  const parts = id.split('/');
  if (parts.length !== 3 || parts.some((p) => !p)) return undefined;
  return { kind: parts[0], namespace: parts[1], name: parts[2] };
}

const controllerOf = (refs: V1OwnerReference[] | undefined) => refs?.find((o) => o.controller);

async function orMissing<T>(read: () => Promise<T>, what: string, kube: KubeClient): Promise<T | undefined> {
  try {
    return await read();
  } catch (e) {
    if (statusCode(e) === 404) return undefined;
    throw kubeError(e, `reading ${what}`, kube.server);
  }
}

async function listIn(kube: KubeClient, namespace: string): Promise<{ pods: V1Pod[]; sets: V1ReplicaSet[] }> {
  try {
    const [pods, sets] = await Promise.all([
      kube.core.listNamespacedPod({ namespace }),
      kube.apps.listNamespacedReplicaSet({ namespace }),
    ]);
    return { pods: pods.items, sets: sets.items };
  } catch (e) {
    throw kubeError(e, `listing pods and ReplicaSets in namespace ${namespace}`, kube.server);
  }
}

export async function readWorkloads(kube: KubeClient, refs: WorkloadRef[]): Promise<WorkloadView[]> {
  const namespaces = [...new Set(refs.map((r) => r.namespace))];
  const listed = new Map(await Promise.all(namespaces.map(async (ns) => [ns, await listIn(kube, ns)] as const)));
  const out = new Map<string, WorkloadView>();
  for (const ref of refs) {
    const { pods, sets } = listed.get(ref.namespace)!;
    let { kind, name } = ref;
    if (kind === 'ReplicaSet') {
      const owner = controllerOf(sets.find((s) => s.metadata?.name === name)?.metadata?.ownerReferences);
      if (owner?.kind === 'Deployment') ({ kind, name } = owner);
    }
    const id = `${kind}/${ref.namespace}/${name}`;
    if (out.has(id)) continue;
    const what = `${kind} ${ref.namespace}/${name}`;
    const ns = ref.namespace;
    let desired: number | undefined;
    let exists = true;
    // The controllers a pod of this workload names: the workload itself, or (Deployment) its ReplicaSets.
    let owners = new Set([name]);
    let ownerKind = kind;
    if (kind === 'Deployment') {
      const d = await orMissing(() => kube.apps.readNamespacedDeployment({ name, namespace: ns }), what, kube);
      exists = !!d;
      desired = d?.spec?.replicas ?? 1;
      ownerKind = 'ReplicaSet';
      owners = new Set(
        sets
          .filter((s) => controllerOf(s.metadata?.ownerReferences)?.uid === d?.metadata?.uid)
          .map((s) => s.metadata?.name ?? ''),
      );
    } else if (kind === 'ReplicaSet') {
      const s = sets.find((x) => x.metadata?.name === name);
      exists = !!s;
      desired = s?.spec?.replicas ?? 1;
    } else if (kind === 'StatefulSet') {
      const s = await orMissing(() => kube.apps.readNamespacedStatefulSet({ name, namespace: ns }), what, kube);
      exists = !!s;
      desired = s?.spec?.replicas ?? 1;
    }
    const mine = pods.filter((p) => {
      const c = controllerOf(p.metadata?.ownerReferences);
      return c?.kind === ownerKind && owners.has(c.name);
    });
    out.set(id, {
      id,
      kind,
      namespace: ns,
      name,
      exists,
      ...(desired === undefined ? {} : { desired }),
      pods: mine.map(podView),
    });
  }
  return [...out.values()];
}
