// kube-sim's scenario format applied to the real API: the same builders make the objects,
// then the real controllers make the ReplicaSets and pods and the scheduler places them.
// Namespaces first (with their default ServiceAccount: a pod cannot be created before it),
// Nodes registered by their kubelets, then claims, workloads, pods, budgets and leases.
import type {
  V1DaemonSet,
  V1Deployment,
  V1Lease,
  V1PersistentVolumeClaim,
  V1Pod,
  V1PodDisruptionBudget,
} from '@kubernetes/client-node';
import { READY_ANNOTATION } from '../kube-sim/controllers/kubelet.js';
import {
  daemonSetFrom,
  deploymentFrom,
  leaseFrom,
  pdbFor,
  pdbFrom,
  podFrom,
  pvcFrom,
} from '../kube-sim/objects/builders.js';
import type { Scenario } from '../kube-sim/scenario.js';
import { rfc3339 } from '../kube-sim/clock.js';
import { statusOf, strategicMerge, tolerant, type ApiClients } from './clients.js';
import type { FakeKubelets } from './kubelets.js';
import { localPathStorageClass } from './local-path.js';
import { waitUntil } from './wait.js';

const SYSTEM = new Set(['default', 'kube-system', 'kube-public', 'kube-node-lease']);

function namespacesOf(s: Scenario): string[] {
  const used = [...(s.deployments ?? []), ...(s.pods ?? []), ...(s.pdbs ?? []), ...(s.pvcs ?? [])].map(
    (x) => x.namespace ?? 'default',
  );
  used.push(
    ...(s.daemonsets ?? []).map((d) => d.namespace ?? 'kube-system'),
    ...(s.leases ?? []).map((l) => l.namespace ?? 'kube-system'),
  );
  return [...new Set([...(s.namespaces ?? []), ...used])].filter((n) => !SYSTEM.has(n));
}

async function ensureNamespace(api: ApiClients, name: string): Promise<void> {
  await tolerant(api.core.createNamespace({ body: { metadata: { name } } }));
  await waitUntil(
    async () =>
      (await api.core.readNamespacedServiceAccount({ name: 'default', namespace: name })) ? true : undefined,
    {
      what: `the default ServiceAccount of namespace ${name}`,
      timeoutMs: 30_000,
    },
  );
}

/** k3s always has its local-path StorageClass. */
export async function ensureClusterDefaults(api: ApiClients): Promise<void> {
  await tolerant(api.storage.createStorageClass({ body: localPathStorageClass() }));
}

/** Creates what the scenario describes; nodes through the kubelets, the rest as `api` (the admin). */
export async function applyScenario(
  api: ApiClients,
  kubelets: FakeKubelets,
  s: Scenario,
  manual: (name: string) => boolean,
): Promise<void> {
  for (const ns of namespacesOf(s)) await ensureNamespace(api, ns);
  const nodeUids = new Map<string, string>();
  for (const n of s.nodes ?? []) {
    const node = await kubelets.addNode(n, manual(n.name));
    if (node) nodeUids.set(n.name, node.metadata!.uid!);
  }
  const create = async (what: string, p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      throw new Error(
        `scenario: creating ${what}: ${statusOf(e) ?? ''} ${(e as { body?: string }).body ?? (e as Error).message}`,
        { cause: e },
      );
    }
  };
  for (const c of s.pvcs ?? [])
    await create(
      `pvc ${c.name}`,
      api.core.createNamespacedPersistentVolumeClaim({
        namespace: c.namespace ?? 'default',
        body: pvcFrom(c) as V1PersistentVolumeClaim,
      }),
    );
  for (const d of s.deployments ?? []) {
    await create(
      `deployment ${d.name}`,
      api.apps.createNamespacedDeployment({
        namespace: d.namespace ?? 'default',
        body: deploymentFrom(d) as V1Deployment,
      }),
    );
    const pdb = pdbFor(d);
    if (pdb)
      await create(
        `pdb ${pdb.metadata.name}`,
        api.policy.createNamespacedPodDisruptionBudget({
          namespace: pdb.metadata.namespace!,
          body: pdb as V1PodDisruptionBudget,
        }),
      );
  }
  for (const d of s.daemonsets ?? [])
    await create(
      `daemonset ${d.name}`,
      api.apps.createNamespacedDaemonSet({
        namespace: d.namespace ?? 'kube-system',
        body: daemonSetFrom(d) as V1DaemonSet,
      }),
    );
  for (const p of s.pods ?? []) {
    const pod = podFrom(p, p.node ? nodeUids.get(p.node) : undefined);
    if (p.ready === false) pod.metadata.annotations = { ...pod.metadata.annotations, [READY_ANNOTATION]: 'false' };
    const namespace = p.namespace ?? 'default';
    await create(`pod ${p.name}`, api.core.createNamespacedPod({ namespace, body: pod as V1Pod }));
    if (p.phase === 'Succeeded' || p.phase === 'Failed') {
      // A finished pod, as its kubelet left it; its kubelet does not touch a finished pod again.
      const now = rfc3339(Date.now());
      const conditions = ['Ready', 'ContainersReady'].map((type) => ({
        type,
        status: 'False',
        reason: 'PodCompleted',
        lastTransitionTime: now,
      }));
      await api.core.patchNamespacedPodStatus(
        { name: p.name, namespace, body: { status: { phase: p.phase, startTime: now, conditions } } },
        strategicMerge(),
      );
    }
  }
  for (const p of s.pdbs ?? [])
    await create(
      `pdb ${p.name}`,
      api.policy.createNamespacedPodDisruptionBudget({
        namespace: p.namespace ?? 'default',
        body: pdbFrom(p) as V1PodDisruptionBudget,
      }),
    );
  for (const l of s.leases ?? [])
    await create(
      `lease ${l.name}`,
      api.coordination.createNamespacedLease({
        namespace: l.namespace ?? 'kube-system',
        body: leaseFrom(l) as V1Lease,
      }),
    );
}
