// The disruption controller: each PodDisruptionBudget's status from the pods it covers.
// Healthy = Ready, not being deleted, and not just evicted (status.disruptedPods).
import { rfc3339 } from '../clock.js';
import { budget, pdbCovers } from '../objects/pdb.js';
import { isPodReady, setCondition } from '../objects/pod.js';
import { controllerOf } from '../objects/meta.js';
import type { Pod, PodDisruptionBudget, Workload } from '../types.js';
import { dueAt, pods, type ControllerEnv } from './env.js';
import { KCM, saveAs } from './save-as.js';

/** How long an eviction stays in disruptedPods waiting for the pod to go (DeletionTimeout: 2 minutes). */
const DELETION_TIMEOUT_S = 120;

/** The summed scale of the pods' controllers (Deployment over ReplicaSet), or undefined if a pod has none. */
function expectedScale(env: ControllerEnv, covered: readonly Pod[]): number | undefined {
  const seen = new Map<string, number>();
  for (const p of covered) {
    const ref = controllerOf(p);
    if (!ref || ref.kind !== 'ReplicaSet') return undefined;
    const rs = env.store.peek('replicasets.apps', p.metadata.namespace, ref.name) as Workload | undefined;
    if (!rs) return undefined;
    const dref = controllerOf(rs);
    const d =
      dref?.kind === 'Deployment'
        ? (env.store.peek('deployments.apps', p.metadata.namespace, dref.name) as Workload | undefined)
        : undefined;
    const owner = d ?? rs;
    seen.set(owner.metadata.uid!, owner.spec.replicas ?? 1);
  }
  return [...seen.values()].reduce((a, b) => a + b, 0);
}

export function disruption(env: ControllerEnv): void {
  const nowMs = env.now();
  const now = rfc3339(nowMs);
  const all = pods(env);
  for (const pdb of env.store.scan('poddisruptionbudgets.policy') as readonly PodDisruptionBudget[]) {
    const covered = all.filter((p) => pdbCovers(pdb, p));
    const old = pdb.status ?? {};
    const disrupted: Record<string, string> = {};
    for (const [name, at] of Object.entries(old.disruptedPods ?? {})) {
      const pod = covered.find((p) => p.metadata.name === name);
      const expires = Date.parse(at) + DELETION_TIMEOUT_S * env.timings.secondMs;
      const expired = nowMs > expires;
      if (!expired) dueAt(env, expires + 1);
      if (pod && !pod.metadata.deletionTimestamp && !expired) disrupted[name] = at;
    }
    const b = budget(pdb, covered.length, expectedScale(env, covered));
    const healthy = covered.filter(
      (p) => !p.metadata.deletionTimestamp && !disrupted[p.metadata.name!] && isPodReady(p),
    ).length;
    // A budget the controller cannot compute (a pod with no controller) fails safe: no disruption allowed.
    const allowed = b ? Math.max(0, healthy - b.desiredHealthy) : 0;
    const status: NonNullable<PodDisruptionBudget['status']> = {
      currentHealthy: healthy,
      desiredHealthy: b?.desiredHealthy ?? 0,
      disruptionsAllowed: allowed,
      expectedPods: b?.expectedPods ?? 0,
      observedGeneration: pdb.metadata.generation ?? 1,
      conditions: setCondition(
        old.conditions ?? [],
        !b
          ? {
              type: 'DisruptionAllowed',
              status: 'False',
              reason: 'SyncFailed',
              message: 'found no controllers for pod',
              observedGeneration: pdb.metadata.generation,
            }
          : allowed > 0
            ? {
                type: 'DisruptionAllowed',
                status: 'True',
                reason: 'SufficientPods',
                message: '',
                observedGeneration: pdb.metadata.generation,
              }
            : {
                type: 'DisruptionAllowed',
                status: 'False',
                reason: 'InsufficientPods',
                message: '',
                observedGeneration: pdb.metadata.generation,
              },
        now,
      ),
    };
    if (Object.keys(disrupted).length) status.disruptedPods = disrupted;
    saveAs(env, 'PodDisruptionBudget', pdb, { ...pdb, status }, KCM, 'status');
  }
}
