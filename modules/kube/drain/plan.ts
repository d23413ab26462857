// The drain plan, pure: cordon if needed, the pods to evict (with the budgets that would block
// them right now), or a refusal with kubectl's words, or nothing to do.
import type { Plan } from '../../../engine/module.js';
import { classify, errorText, warningText, type DrainOptions } from './filters.js';
import { podId, type PodInfo } from './pods.js';
import { pdbsFor, type DrainState, type PdbInfo } from './state.js';

export type DrainArgs = DrainOptions & {
  state: 'drained' | 'cordoned' | 'uncordoned';
  node?: string;
  disable_eviction: boolean;
  grace_period: number;
  timeout: number;
  pod_selector?: string;
  respect_prior_cordon: boolean;
  retry_interval: number;
};

export type DrainChange =
  | { summary: string; kind: 'cordon' }
  | { summary: string; kind: 'uncordon' }
  | { summary: string; kind: 'evict'; pod: PodInfo; blockedBy: string[] };

function blockers(pod: PodInfo, pdbs: readonly PdbInfo[]): string[] {
  return pdbsFor(pod, pdbs)
    .filter((b) => b.disruptionsAllowed < 1)
    .map((b) => `pdb/${b.name}`);
}

export function planDrain(s: DrainState, a: DrainArgs): Plan<DrainChange> {
  const node = `node/${s.node}`;
  if (!s.exists) return { changes: [], refuse: `nodes "${s.node}" not found` };
  if (a.state === 'uncordoned') {
    if (!s.unschedulable)
      return { changes: [], noop: `${node} already uncordoned`, data: { node: s.node, unschedulable: false } };
    if (a.respect_prior_cordon && !s.cordonedByHerdbook) {
      return {
        changes: [],
        noop: `${node} left cordoned: it was cordoned before herdbook drained it (set respect_prior_cordon: false to uncordon it anyway)`,
        data: { node: s.node, unschedulable: true, prior_cordon: true },
      };
    }
    return { changes: [{ kind: 'uncordon', summary: `uncordon ${node}` }], data: { node: s.node } };
  }
  const cordon: DrainChange[] = s.unschedulable ? [] : [{ kind: 'cordon', summary: `cordon ${node}` }];
  if (a.state === 'cordoned') {
    return cordon.length
      ? { changes: cordon, data: { node: s.node } }
      : { changes: [], noop: `${node} already cordoned`, data: { node: s.node, unschedulable: true } };
  }
  const c = classify(s.pods, a);
  const skipped = c.skipped.map((x) => ({ pod: podId(x.pod), reason: x.reason ?? 'mirror or terminating pod' }));
  const warnings = warningText(c.warnings);
  const blocking = [...new Set(c.evict.flatMap((p) => blockers(p, s.pdbs)))];
  const data = {
    node: s.node,
    would_evict: c.evict.map(podId),
    // The controllers whose pods must come back elsewhere (canary-cutover waits for them).
    would_evict_workloads: [
      ...new Set(
        c.evict.flatMap((p) => (p.controller ? [`${p.controller.kind}/${p.namespace}/${p.controller.name}`] : [])),
      ),
    ],
    skipped,
    ...(warnings ? { warnings } : {}),
    blocking_pdbs: blocking,
  };
  if (c.errors.size) {
    return {
      changes: [],
      refuse: `unable to drain ${node}: ${errorText(c.errors)}; nothing was evicted${s.unschedulable ? '' : ` and ${node} was not cordoned`}`,
      data: { ...data, cannot_delete: Object.fromEntries([...c.errors].map(([m, p]) => [m, p.map(podId)])) },
    };
  }
  const verb = a.disable_eviction ? 'delete' : 'evict';
  const evictions: DrainChange[] = c.evict.map((pod) => {
    const blockedBy = a.disable_eviction ? [] : blockers(pod, s.pdbs);
    return {
      kind: 'evict',
      pod,
      blockedBy,
      summary: `${verb} ${podId(pod)}${blockedBy.length ? ` (${blockedBy.join(', ')} allows no disruption right now: it would wait)` : ''}`,
    };
  });
  const changes = [...cordon, ...evictions];
  if (!changes.length) return { changes: [], noop: `${node} already cordoned, nothing to evict`, data };
  return { changes, data };
}
