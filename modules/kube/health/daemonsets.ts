// Every DaemonSet's pod Running and Ready on every node that takes pods and that the DaemonSet
// targets (seed 000's checklist: "node-exporter runs on all nodes"). Pure, over lists read once.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { DAEMON_TOLERATIONS } from '../../../engine/kube/daemon-tolerations.js';
import { fits, takesPods } from './fit.js';

export type DaemonGap = { daemonset: string; node: string; pod?: string; state?: string };

const ready = (p: V1Pod) =>
  p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');

/** What a pod that does not run shows: its phase and the first waiting reason. */
function stateOf(p: V1Pod): string {
  const waiting = (p.status?.containerStatuses ?? []).map((c) => c.state?.waiting?.reason).find(Boolean);
  const phase = p.status?.phase ?? 'Unknown';
  return waiting
    ? `${phase}, ${waiting}`
    : p.metadata?.deletionTimestamp
      ? `${phase}, terminating`
      : `${phase}, not Ready`;
}

export function daemonSetGaps(sets: V1DaemonSet[], nodes: V1Node[], pods: V1Pod[]): DaemonGap[] {
  const gaps: DaemonGap[] = [];
  for (const ds of sets) {
    const id = `${ds.metadata?.namespace}/${ds.metadata?.name}`;
    const tpl = ds.spec?.template.spec;
    const spec = { nodeSelector: tpl?.nodeSelector, tolerations: [...(tpl?.tolerations ?? []), ...DAEMON_TOLERATIONS] };
    const mine = pods.filter((p) =>
      p.metadata?.ownerReferences?.some((o) => o.controller && o.kind === 'DaemonSet' && o.uid === ds.metadata?.uid),
    );
    for (const node of nodes) {
      const name = node.metadata?.name ?? '';
      if (!takesPods(node) || !fits(node, spec)) continue;
      const here = mine.filter((p) => p.spec?.nodeName === name);
      if (here.some(ready)) continue;
      const pod = here[0];
      gaps.push({ daemonset: id, node: name, ...(pod ? { pod: pod.metadata?.name ?? '', state: stateOf(pod) } : {}) });
    }
  }
  return gaps;
}

export function gapText(g: DaemonGap): string {
  return `daemonset ${g.daemonset} has no Running pod on ${g.node}${g.pod ? ` (${g.pod}: ${g.state})` : ' (no pod there)'}`;
}
