// Which PodDisruptionBudgets cover a pod, and how many healthy pods each one needs:
// the arithmetic of the disruption controller (pkg/controller/disruption).
import { fromLabelSelector, matches } from '../api/label-selector.js';
import type { IntOrString, Pod, PodDisruptionBudget } from '../types.js';

/** Whether a budget covers a pod: same namespace; in policy/v1 no selector matches nothing, an empty one everything. */
export function pdbCovers(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (pdb.metadata.namespace !== pod.metadata.namespace || !pdb.spec?.selector) return false;
  return matches(fromLabelSelector(pdb.spec.selector), pod.metadata.labels);
}

/** getPodDisruptionBudgets in eviction.go. */
export function pdbsForPod(pdbs: PodDisruptionBudget[], pod: Pod): PodDisruptionBudget[] {
  return pdbs.filter((pdb) => pdbCovers(pdb, pod));
}

/** intstr.GetScaledValueFromIntOrPercent with roundUp, as the controller calls it. */
export function scaled(v: IntOrString, total: number): number {
  if (typeof v === 'number') return v;
  return Math.ceil((parseInt(v, 10) * total) / 100);
}

export type Budget = { expectedPods: number; desiredHealthy: number };

/**
 * An integer minAvailable counts the pods present; a percentage or a maxUnavailable is
 * taken of the controllers' scale (`expectedScale`, undefined when a pod has no controller).
 */
export function budget(
  pdb: PodDisruptionBudget,
  podCount: number,
  expectedScale: number | undefined,
): Budget | undefined {
  const { minAvailable, maxUnavailable } = pdb.spec ?? {};
  if (maxUnavailable !== undefined) {
    if (expectedScale === undefined) return undefined;
    return {
      expectedPods: expectedScale,
      desiredHealthy: Math.max(0, expectedScale - scaled(maxUnavailable, expectedScale)),
    };
  }
  if (typeof minAvailable === 'string') {
    if (expectedScale === undefined) return undefined;
    return { expectedPods: expectedScale, desiredHealthy: scaled(minAvailable, expectedScale) };
  }
  return { expectedPods: podCount, desiredHealthy: minAvailable ?? 1 };
}
