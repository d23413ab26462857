// Where a workload's pods run, and whether they have left a node: pure, over plain facts read
// once (workloads_moved's state), so the verdicts are table-testable.
import type { V1Pod } from '@kubernetes/client-node';

export type PodView = {
  name: string;
  node?: string;
  phase: string;
  ready: boolean;
  terminating: boolean;
  /** Why it does not run: the scheduler's (Unschedulable: 0/3 nodes are available...) or a container's waiting reason. */
  reason?: string;
};

export type WorkloadView = {
  /** Kind/namespace/name, as drain's would_evict_workloads names it (a ReplicaSet resolved to its Deployment). */
  id: string;
  kind: string;
  namespace: string;
  name: string;
  exists: boolean;
  /** spec.replicas, where the kind has one; undefined for Jobs and other controllers. */
  desired?: number;
  pods: PodView[];
};

export function podView(p: V1Pod): PodView {
  const ready = p.status?.conditions?.find((c) => c.type === 'Ready')?.status === 'True';
  const unscheduled = p.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
  const waiting = (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting).find((w) => w?.reason);
  const reason = unscheduled
    ? `${unscheduled.reason ?? 'Unschedulable'}${unscheduled.message ? `: ${unscheduled.message}` : ''}`
    : waiting?.reason;
  return {
    name: p.metadata?.name ?? '',
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    phase: p.status?.phase ?? 'Unknown',
    ready,
    terminating: Boolean(p.metadata?.deletionTimestamp),
    ...(reason ? { reason } : {}),
  };
}

/** "deployment default/web": kubectl's lower-case kind. */
export const workloadName = (w: Pick<WorkloadView, 'kind' | 'namespace' | 'name'>): string =>
  `${w.kind.toLowerCase()} ${w.namespace}/${w.name}`;

export type Verdict = { moved: boolean; text: string };

/**
 * Moved: no pod of it left on `node` (terminating ones count: they still run there), and as many
 * pods Running and Ready elsewhere as it wants (for a kind without replicas: every pod Running
 * or Succeeded). A workload deleted meanwhile has nothing left to move.
 */
export function verdict(w: WorkloadView, node: string): Verdict {
  const name = workloadName(w);
  if (!w.exists) return { moved: true, text: `${name} no longer exists` };
  const there = w.pods.filter((p) => p.node === node && p.phase !== 'Succeeded' && p.phase !== 'Failed');
  const live = w.pods.filter((p) => !p.terminating && p.node !== node);
  const running = live.filter((p) => p.phase === 'Running' && p.ready);
  const others = live.filter((p) => !(p.phase === 'Running' && p.ready) && p.phase !== 'Succeeded');
  const want = w.desired;
  const enough = want === undefined ? others.length === 0 : running.length >= want;
  const nodes = [...new Set(running.map((p) => p.node ?? '?'))].sort();
  const count =
    want === undefined
      ? `${running.length} pod${running.length === 1 ? '' : 's'}`
      : `${running.length} of ${want} pods`;
  if (!there.length && enough)
    return { moved: true, text: `${name}: ${count} Running and Ready${nodes.length ? ` on ${nodes.join(', ')}` : ''}` };
  const why = [
    ...there.map((p) => `${p.name} still on ${node}${p.terminating ? ' (terminating)' : ''}`),
    ...others.map((p) => `${p.name} ${p.phase}${p.node ? ` on ${p.node}` : ''}${p.reason ? ` (${p.reason})` : ''}`),
  ];
  return {
    moved: false,
    text: `${name}: ${count} Running and Ready off ${node}${why.length ? `; ${why.join('; ')}` : ''}`,
  };
}
