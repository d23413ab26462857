// ReplicaSet, Deployment and DaemonSet controllers, reduced to what drains meet: the
// right number of pods, new names and uids for replacements, statuses kept current.
import { isPodReady, isTerminal, setCondition } from '../objects/pod.js';
import { controllerRef, randomSuffix, safeHash } from '../objects/meta.js';
import { defaultPod } from '../objects/pod.js';
import { rfc3339 } from '../clock.js';
import { gracefulDelete } from '../api/pods.js';
import type { Condition, KubeObject, Node, Pod, Toleration, Workload } from '../types.js';
import { nodes, pods, type ControllerEnv } from './env.js';
import { misfit } from './scheduling.js';

const ownedBy = (o: KubeObject, owner: KubeObject) => o.metadata.ownerReferences?.some((r) => r.controller && r.uid === owner.metadata.uid);
const active = (p: Pod) => !p.metadata.deletionTimestamp && !isTerminal(p);

function podFromTemplate(owner: Workload, extra: Partial<Pod['spec']> = {}, labels: Record<string, string> = {}): Pod {
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
  defaultPod(pod);
  return pod;
}

function replicaStatus(owned: Pod[], generation: number | undefined) {
  const live = owned.filter(active);
  const ready = live.filter(isPodReady).length;
  return { replicas: live.length, fullyLabeledReplicas: live.length, readyReplicas: ready, availableReplicas: ready, observedGeneration: generation ?? 1 };
}

export function replicaSets(env: ControllerEnv): void {
  const all = pods(env);
  for (const rs of env.store.list('replicasets.apps') as Workload[]) {
    const owned = all.filter((p) => ownedBy(p, rs));
    const live = owned.filter(active);
    const want = rs.spec.replicas ?? 1;
    for (let i = live.length; i < want; i++) env.store.create('pods', podFromTemplate(rs));
    if (live.length > want) {
      // Scale down the least useful first: unscheduled, then not ready, then the youngest.
      const rank = (p: Pod) => (p.spec.nodeName ? 0 : -2) + (isPodReady(p) ? 0 : -1);
      const victims = [...live].sort((a, b) => rank(a) - rank(b) || b.metadata.creationTimestamp!.localeCompare(a.metadata.creationTimestamp!));
      for (const p of victims.slice(0, live.length - want)) gracefulDelete(env.api, p, { dryRun: false });
    }
    env.store.update('replicasets.apps', { ...rs, status: replicaStatus(pods(env).filter((p) => ownedBy(p, rs)), rs.metadata.generation) });
  }
}

export function deployments(env: ControllerEnv): void {
  const now = rfc3339(env.now());
  for (const d of env.store.list('deployments.apps') as Workload[]) {
    const hash = safeHash(JSON.stringify(d.spec.template));
    const owned = (env.store.list('replicasets.apps', d.metadata.namespace) as Workload[]).filter((rs) => ownedBy(rs, d));
    let current = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    const replicas = d.spec.replicas ?? 1;
    if (!current) {
      const template = structuredClone(d.spec.template);
      template.metadata = { ...template.metadata, labels: { ...template.metadata?.labels, 'pod-template-hash': hash } };
      current = env.store.create('replicasets.apps', {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${d.metadata.name}-${hash}`,
          namespace: d.metadata.namespace,
          labels: template.metadata.labels,
          annotations: { 'deployment.kubernetes.io/desired-replicas': String(replicas), 'deployment.kubernetes.io/max-replicas': String(replicas + 1), 'deployment.kubernetes.io/revision': String(owned.length + 1) },
          ownerReferences: [controllerRef(d)],
          generation: 1,
        },
        spec: { replicas, selector: { matchLabels: { ...d.spec.selector?.matchLabels, 'pod-template-hash': hash } }, template },
        status: {},
      }) as Workload;
    }
    // Rollouts are immediate: the current ReplicaSet takes all replicas, the others none.
    for (const rs of [...owned.filter((x) => x !== current), current]) {
      const want = rs.metadata.uid === current.metadata.uid ? replicas : 0;
      if (rs.spec.replicas !== want) env.store.update('replicasets.apps', { ...rs, spec: { ...rs.spec, replicas: want }, metadata: { ...rs.metadata, generation: (rs.metadata.generation ?? 1) + 1 } });
    }
    const mine = pods(env).filter((p) => owned.some((rs) => ownedBy(p, rs)) || ownedBy(p, current!));
    const s = replicaStatus(mine, d.metadata.generation);
    const updated = mine.filter((p) => active(p) && p.metadata.labels?.['pod-template-hash'] === hash).length;
    let conditions = (d.status?.conditions as Condition[] | undefined) ?? [];
    const available = s.availableReplicas >= replicas - maxUnavailable(d, replicas);
    conditions = setCondition(conditions, available
      ? { type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable', message: 'Deployment has minimum availability.' }
      : { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable', message: 'Deployment does not have minimum availability.' }, now);
    const status: Record<string, unknown> = { observedGeneration: s.observedGeneration, replicas: s.replicas, updatedReplicas: updated, readyReplicas: s.readyReplicas, availableReplicas: s.availableReplicas, conditions };
    if (s.replicas - s.availableReplicas > 0) status.unavailableReplicas = s.replicas - s.availableReplicas;
    env.store.update('deployments.apps', { ...d, status });
  }
}

function maxUnavailable(d: Workload, replicas: number): number {
  const v = (d.spec.strategy as { rollingUpdate?: { maxUnavailable?: number | string } } | undefined)?.rollingUpdate?.maxUnavailable ?? '25%';
  return typeof v === 'number' ? v : Math.floor((parseInt(v, 10) * replicas) / 100);
}

/** Tolerations the DaemonSet controller adds to its pods, so they stay on sick and cordoned nodes. */
const DAEMON_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' },
  { key: 'node.kubernetes.io/disk-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/memory-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/pid-pressure', operator: 'Exists', effect: 'NoSchedule' },
  { key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' },
];

function daemonPod(ds: Workload, node: Node): Pod {
  const tolerations = [...(ds.spec.template.spec.tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS) if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push(t);
  const hash = safeHash(JSON.stringify(ds.spec.template));
  return podFromTemplate(ds, { nodeName: node.metadata.name, tolerations }, { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) });
}

export function daemonSets(env: ControllerEnv): void {
  const allNodes = nodes(env);
  for (const ds of env.store.list('daemonsets.apps') as Workload[]) {
    const owned = pods(env).filter((p) => ownedBy(p, ds) && active(p));
    let desired = 0;
    let misscheduled = 0;
    for (const node of allNodes) {
      const probe = daemonPod(ds, node);
      // Cordon does not keep DaemonSet pods away; untolerated taints and selectors do.
      const fits = !misfit(probe, { ...node, spec: { ...node.spec, unschedulable: false } });
      const here = owned.filter((p) => p.spec.nodeName === node.metadata.name);
      if (fits) {
        desired++;
        if (here.length === 0) env.store.create('pods', probe);
      } else {
        misscheduled += here.length;
      }
    }
    const mine = pods(env).filter((p) => ownedBy(p, ds) && active(p));
    const ready = mine.filter(isPodReady).length;
    env.store.update('daemonsets.apps', {
      ...ds,
      status: {
        currentNumberScheduled: mine.length - misscheduled,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: misscheduled,
        numberReady: ready,
        observedGeneration: ds.metadata.generation ?? 1,
        updatedNumberScheduled: mine.length,
      },
    });
  }
}
