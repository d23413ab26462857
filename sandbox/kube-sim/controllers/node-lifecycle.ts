// The kubelet's status updates and the node lifecycle controller together: the Ready
// condition, nodeInfo.kubeletVersion, the not-ready / unreachable taints (NoSchedule and
// NoExecute) that the controller adds and removes, and node.kubernetes.io/unschedulable on a
// cordoned node. Seen on the real control plane (v1.32, sandbox --kube-apiserver): the cordon's
// own patch response has no such taint; the first read after it has it, with timeAdded; the
// first read after the uncordon has it no more.
import { rfc3339 } from '../clock.js';
import { nodeInfo } from '../objects/node.js';
import { setCondition } from '../objects/pod.js';
import type { Condition, ConditionStatus, Node, Taint } from '../types.js';
import { nodes, type ControllerEnv } from './env.js';
import type { KubeletState } from './kubelets.js';

export const NOT_READY = 'node.kubernetes.io/not-ready';
export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const UNSCHEDULABLE = 'node.kubernetes.io/unschedulable';

type Health = 'ready' | 'not-ready' | 'unreachable';

const healthOf = (s: KubeletState): Health => (!s.reachable ? 'unreachable' : s.ready ? 'ready' : 'not-ready');

const READY: Record<Health, Pick<Condition, 'status' | 'reason' | 'message'>> = {
  ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  'not-ready': {
    status: 'False',
    reason: 'KubeletNotReady',
    message:
      'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
  },
  unreachable: { status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' },
};

const PRESSURE: Array<[string, string, string]> = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

function conditions(node: Node, health: Health, now: string): Condition[] {
  let out = node.status.conditions ?? [];
  for (const [type, reason, message] of PRESSURE) {
    const c: Condition =
      health === 'unreachable'
        ? { type, status: 'Unknown', reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' }
        : { type, status: 'False', reason, message };
    out = setCondition(out, { lastHeartbeatTime: heartbeat(out, type, c.status, now), ...c }, now);
  }
  const ready = READY[health];
  return setCondition(
    out,
    { type: 'Ready', lastHeartbeatTime: heartbeat(out, 'Ready', ready.status, now), ...ready },
    now,
  );
}

// The heartbeat only moves with a change here, so an idle cluster does not churn resourceVersions.
function heartbeat(conds: Condition[], type: string, status: ConditionStatus, now: string): string {
  const old = conds.find((c) => c.type === type);
  return old && old.status === status && old.lastHeartbeatTime ? old.lastHeartbeatTime : now;
}

function taints(node: Node, s: KubeletState, health: Health, now: string): Taint[] | undefined {
  const want: string[] = health === 'unreachable' ? [UNREACHABLE] : health === 'not-ready' ? [NOT_READY] : [];
  const cordoned = node.spec.unschedulable === true;
  let out = (node.spec.taints ?? []).filter((t) => {
    if (t.key === UNSCHEDULABLE) return cordoned;
    if (t.key !== NOT_READY && t.key !== UNREACHABLE) return true;
    if (want.includes(t.key)) return true;
    // The stale taint of seed 003: the node came back, the controller did not clean up.
    return t.key === UNREACHABLE && health === 'ready' && s.keepUnreachableTaint;
  });
  // Both with timeAdded, as the real controller writes them (v1.32, seen on a NotReady node).
  for (const key of want) {
    if (!out.some((t) => t.key === key && t.effect === 'NoSchedule'))
      out = [...out, { key, effect: 'NoSchedule', timeAdded: now }];
    if (!out.some((t) => t.key === key && t.effect === 'NoExecute'))
      out = [...out, { key, effect: 'NoExecute', timeAdded: now }];
  }
  if (cordoned && !out.some((t) => t.key === UNSCHEDULABLE && t.effect === 'NoSchedule'))
    out = [...out, { key: UNSCHEDULABLE, effect: 'NoSchedule', timeAdded: now }];
  return out.length ? out : undefined;
}

export function nodeLifecycle(env: ControllerEnv): void {
  const now = rfc3339(env.now());
  for (const node of nodes(env)) {
    const s = env.kubelets.get(node.metadata.name!);
    if (!s) continue;
    const health = healthOf(s);
    const next = structuredClone(node);
    next.status.conditions = conditions(node, health, now);
    // A kubelet that is down cannot report a new version; one that is up reports its own.
    if (s.reachable && next.status.nodeInfo?.kubeletVersion !== s.version) {
      next.status.nodeInfo = {
        ...nodeInfo(s.version),
        ...next.status.nodeInfo,
        kubeletVersion: s.version,
        kubeProxyVersion: s.version,
      };
    }
    const t = taints(node, s, health, now);
    if (t) next.spec.taints = t;
    else delete next.spec.taints;
    env.store.save('nodes', next);
  }
}
