// The ReplicaSet controller: keeps spec.replicas pods, replacing the ones that go with new
// names and uids, scaling down the least useful first.
import { gracefulDelete } from '../api/pods.js';
import { isPodReady } from '../objects/pod.js';
import type { Pod, Workload } from '../types.js';
import { byController, pods, type ControllerEnv } from './env.js';
import { active, podFromTemplate, replicaStatus } from './workload-common.js';

export function replicaSets(env: ControllerEnv): void {
  const owners = byController(pods(env));
  for (const rs of env.store.scan('replicasets.apps') as readonly Workload[]) {
    const owned = owners.get(rs.metadata.uid!) ?? [];
    const live = owned.filter(active);
    const want = rs.spec.replicas ?? 1;
    for (let i = live.length; i < want; i++) env.store.create('pods', podFromTemplate(rs, env.api.admission ?? {}));
    if (live.length > want) {
      // Scale down the least useful first: unscheduled, then not ready, then the youngest.
      const rank = (p: Pod) => (p.spec.nodeName ? 0 : -2) + (isPodReady(p) ? 0 : -1);
      const victims = [...live].sort(
        (a, b) => rank(a) - rank(b) || b.metadata.creationTimestamp!.localeCompare(a.metadata.creationTimestamp!),
      );
      for (const p of victims.slice(0, live.length - want)) gracefulDelete(env.api, p, { dryRun: false });
    }
    // The status counts what was there at the start of this pass; the next pass sees the changes.
    env.store.save('replicasets.apps', { ...rs, status: replicaStatus(owned, rs.metadata.generation) });
  }
}
