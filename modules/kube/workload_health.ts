// workload_health: what seed 000's post-upgrade checklist asks beyond nodes and versions:
// every DaemonSet's pod running on every node that takes pods, no pod stuck in
// CrashLoopBackOff or CreateContainerConfigError (by name), and not every workload on one
// node while others are Ready and schedulable. Reads only. `problems` leaves the stuck pods out
// (cluster_info counts every pod not running already); `stuck` names them with the kubelet's words.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { defineModule } from '../../engine/index-module.js';
import { kubeError } from '../../engine/kube/errors.js';
import { daemonSetGaps, gapText } from './health/daemonsets.js';
import { concentration, concentrationText } from './health/spread.js';
import { stuckPod, stuckText, type StuckPod } from './health/stuck.js';

type Args = { ignore_namespaces: string[] };
type State = { nodes: V1Node[]; pods: V1Pod[]; daemonsets: V1DaemonSet[] };

export function assessWorkloads(s: State, a: Args) {
  const counted = (ns: string | undefined) => !a.ignore_namespaces.includes(ns ?? '');
  const pods = s.pods.filter((p) => counted(p.metadata?.namespace));
  const gaps = daemonSetGaps(
    s.daemonsets.filter((d) => counted(d.metadata?.namespace)),
    s.nodes,
    pods,
  );
  const stuck = pods.map(stuckPod).filter((p): p is StuckPod => !!p);
  const spread = concentration(s.nodes, pods);
  // Stuck pods are cluster_info's problems already (a pod not Running, or waiting): listed apart, not twice.
  const problems = [...gaps.map(gapText), ...(spread ? [concentrationText(spread)] : [])];
  return { gaps, stuck, spread, problems, stuckLines: stuck.map(stuckText) };
}

export const workloadHealth = defineModule<Args, State, never>({
  name: 'workload_health',
  schema: 'workload_health',
  runsOn: 'api',
  predictable: true,
  async inspect(ctx) {
    const kube = await ctx.kube();
    try {
      const [nodes, pods, daemonsets] = await Promise.all([
        kube.core.listNode({}),
        kube.core.listPodForAllNamespaces({}),
        kube.apps.listDaemonSetForAllNamespaces({}),
      ]);
      return { nodes: nodes.items, pods: pods.items, daemonsets: daemonsets.items };
    } catch (e) {
      throw kubeError(e, 'reading the workloads', kube.server);
    }
  },
  plan(s, a) {
    const w = assessWorkloads(s, a);
    const data = {
      healthy: w.problems.length === 0 && w.stuck.length === 0,
      problems: w.problems,
      stuck: w.stuckLines,
      daemonset_gaps: w.gaps,
      stuck_pods: w.stuck,
      concentrated_on: w.spread?.node ?? null,
    };
    const n = s.daemonsets.length;
    const all = [...w.problems, ...w.stuckLines];
    const noop = all.length
      ? `${all.length} workload problem${all.length === 1 ? '' : 's'}:\n  ${all.join('\n  ')}`
      : `${n} DaemonSet${n === 1 ? '' : 's'} on every node that takes pods, no pod stuck, workloads not all on one node`;
    return { changes: [], noop, data };
  },
  async apply() {
    return {};
  },
});
