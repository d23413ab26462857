// The Deployment controller, with immediate rollouts: one ReplicaSet per pod template
// (named by its pod-template-hash) holds all replicas, the older ones none.
import { rfc3339 } from '../clock.js';
import { controllerRef, safeHash } from '../objects/meta.js';
import { setCondition } from '../objects/pod.js';
import type { Condition, Workload } from '../types.js';
import { byController, pods, type ControllerEnv } from './env.js';
import { active, ownedBy, replicaStatus } from './workload-common.js';

export function deployments(env: ControllerEnv): void {
  const now = rfc3339(env.now());
  const owners = byController(pods(env));
  for (const d of env.store.scan('deployments.apps') as readonly Workload[]) {
    const hash = safeHash(JSON.stringify(d.spec.template));
    const owned = (env.store.scan('replicasets.apps', d.metadata.namespace) as readonly Workload[]).filter((rs) =>
      ownedBy(rs, d),
    );
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
          annotations: {
            'deployment.kubernetes.io/desired-replicas': String(replicas),
            'deployment.kubernetes.io/max-replicas': String(replicas + 1),
            'deployment.kubernetes.io/revision': String(owned.length + 1),
          },
          ownerReferences: [controllerRef(d)],
          generation: 1,
        },
        spec: {
          replicas,
          selector: { matchLabels: { ...d.spec.selector?.matchLabels, 'pod-template-hash': hash } },
          template,
        },
        status: {},
      }) as Workload;
    }
    // Rollouts are immediate: the current ReplicaSet takes all replicas, the others none.
    for (const rs of [...owned.filter((x) => x !== current), current]) {
      const want = rs.metadata.uid === current.metadata.uid ? replicas : 0;
      if (rs.spec.replicas !== want)
        env.store.save('replicasets.apps', {
          ...rs,
          spec: { ...rs.spec, replicas: want },
          metadata: { ...rs.metadata, generation: (rs.metadata.generation ?? 1) + 1 },
        });
    }
    const mine = [...owned, current]
      .flatMap((rs) => owners.get(rs.metadata.uid!) ?? [])
      .filter((p, i, all) => all.indexOf(p) === i);
    const s = replicaStatus(mine, d.metadata.generation);
    const updated = mine.filter((p) => active(p) && p.metadata.labels?.['pod-template-hash'] === hash).length;
    let conditions = (d.status?.conditions as Condition[] | undefined) ?? [];
    const available = s.availableReplicas >= replicas - maxUnavailable(d, replicas);
    conditions = setCondition(
      conditions,
      available
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      now,
    );
    const status: Record<string, unknown> = {
      observedGeneration: s.observedGeneration,
      replicas: s.replicas,
      updatedReplicas: updated,
      readyReplicas: s.readyReplicas,
      availableReplicas: s.availableReplicas,
      conditions,
    };
    if (s.replicas - s.availableReplicas > 0) status.unavailableReplicas = s.replicas - s.availableReplicas;
    env.store.save('deployments.apps', { ...d, status });
  }
}

function maxUnavailable(d: Workload, replicas: number): number {
  const v =
    (d.spec.strategy as { rollingUpdate?: { maxUnavailable?: number | string } } | undefined)?.rollingUpdate
      ?.maxUnavailable ?? '25%';
  return typeof v === 'number' ? v : Math.floor((parseInt(v, 10) * replicas) / 100);
}
