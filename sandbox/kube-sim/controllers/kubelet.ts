// The kubelets' side of pods: start bound pods (Running, Ready), follow the node's and the
// pod's readiness, and finish graceful deletions once the containers stopped, which only
// a running kubelet can do.
import { rfc3339 } from '../clock.js';
import { isNodeReady } from '../objects/node.js';
import { setCondition, START_ANNOTATION, TERMINATE_ANNOTATION } from '../objects/pod.js';
import type { Condition, Node, Pod } from '../types.js';
import { waitingReason, waitingStatus } from '../objects/waiting.js';
import { copy, dueAt, nodes, pods, type ControllerEnv } from './env.js';

/** Annotation a test sets to "false" to make a pod fail its readiness probe. */
export const READY_ANNOTATION = 'kube-sim.herdbook.dev/ready';

function seconds(pod: Pod, annotation: string, fallback: number): number {
  const v = Number(pod.metadata.annotations?.[annotation]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

function readiness(pod: Pod, ready: boolean, now: string): Condition[] {
  let c = pod.status.conditions ?? [];
  const status = ready ? 'True' : 'False';
  const extra = ready
    ? {}
    : {
        reason: 'ContainersNotReady',
        message: `containers with unready status: [${pod.spec.containers.map((x) => x.name).join(' ')}]`,
      };
  for (const type of ['Ready', 'ContainersReady']) {
    const next: Condition = { type, status, lastProbeTime: null, ...extra };
    c = setCondition(c, next, now);
    if (ready) {
      const k = c.find((x) => x.type === type)!;
      delete k.reason;
      delete k.message;
    }
  }
  return c;
}

function start(pod: Pod, node: Node, nowMs: number): Pod {
  const now = rfc3339(nowMs);
  const ip = (node.status.addresses as Array<{ type: string; address: string }> | undefined)?.find(
    (a) => a.type === 'InternalIP',
  )?.address;
  let c = pod.status.conditions ?? [];
  for (const type of ['PodReadyToStartContainers', 'Initialized', 'PodScheduled'])
    c = setCondition(c, { type, status: 'True', lastProbeTime: null }, now);
  pod.status = {
    ...pod.status,
    phase: 'Running',
    conditions: c,
    hostIP: ip,
    hostIPs: ip ? [{ ip }] : undefined,
    podIP: `10.42.0.${(nowMs % 250) + 2}`,
    startTime: now,
    containerStatuses: pod.spec.containers.map((x) => ({
      name: x.name,
      image: x.image,
      imageID: '',
      ready: true,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: now } },
    })),
  };
  const waiting = waitingReason(pod);
  if (waiting) Object.assign(pod.status, waitingStatus(pod, waiting, now));
  return pod;
}

const readyStatus = (pod: Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status;

/** Ready: its node is, its probe (the annotation) passes, and its containers run (no waiting state asked for). */
function runsReady(pod: Pod, node: Node): boolean {
  return isNodeReady(node) && pod.metadata.annotations?.[READY_ANNOTATION] !== 'false' && !waitingReason(pod);
}

/** Sets the pod's readiness from its probe (the annotation) and its node. */
function follow(pod: Pod, node: Node, now: string): Pod {
  const ready = runsReady(pod, node);
  pod.status.conditions = readiness(pod, ready, now);
  if (Array.isArray(pod.status.containerStatuses)) {
    for (const cs of pod.status.containerStatuses as Array<{ ready: boolean }>) cs.ready = ready;
  }
  return pod;
}

export function kubelet(env: ControllerEnv): void {
  const nowMs = env.now();
  const now = rfc3339(nowMs);
  const byName = new Map(nodes(env).map((n) => [n.metadata.name!, n]));
  const { runtime, timings } = env;
  const live = new Set<string>();
  for (const stored of pods(env)) {
    const uid = stored.metadata.uid!;
    live.add(uid);
    const nodeName = stored.spec.nodeName;
    const node = nodeName ? byName.get(nodeName) : undefined;
    const kubeletUp = nodeName ? env.kubelets.get(nodeName)?.reachable === true : false;
    if (!node || !kubeletUp) continue;
    if (stored.metadata.deletionTimestamp) {
      const grace = stored.metadata.deletionGracePeriodSeconds ?? 0;
      const s = runtime.stopping.get(uid);
      if (!s || grace < s.grace) runtime.stopping.set(uid, { since: nowMs, grace });
      const { since, grace: g } = runtime.stopping.get(uid)!;
      const needs = Math.min(g, seconds(stored, TERMINATE_ANNOTATION, timings.terminateSeconds));
      const gone = since + needs * timings.secondMs;
      if (nowMs >= gone) env.store.remove('pods', stored.metadata.namespace, stored.metadata.name!);
      else {
        dueAt(env, gone);
        if (readyStatus(stored) !== 'False') {
          const pod = copy(stored);
          pod.status.conditions = readiness(pod, false, now);
          env.store.save('pods', pod);
        }
      }
      continue;
    }
    if (stored.status?.phase === 'Pending') {
      if (!isNodeReady(node)) continue;
      // A container that cannot be created keeps the pod Pending: started once, then left so.
      if (stored.status.startTime && waitingReason(stored)) continue;
      if (!runtime.boundAt.has(uid)) runtime.boundAt.set(uid, nowMs);
      const wait = runtime.instant ? 0 : seconds(stored, START_ANNOTATION, timings.podStartSeconds) * timings.secondMs;
      if (nowMs < runtime.boundAt.get(uid)! + wait) {
        dueAt(env, runtime.boundAt.get(uid)! + wait);
        continue;
      }
      runtime.boundAt.delete(uid);
      env.store.save('pods', follow(start(copy(stored), node, nowMs), node, now));
      continue;
    }
    if (stored.status.phase !== 'Running') continue;
    // Readiness: the pod's own probe (the annotation) and a Ready node; written only when it changes.
    const ready = runsReady(stored, node);
    if (readyStatus(stored) === (ready ? 'True' : 'False')) continue;
    env.store.save('pods', follow(copy(stored), node, now));
  }
  for (const m of [runtime.boundAt, runtime.stopping]) for (const uid of m.keys()) if (!live.has(uid)) m.delete(uid);
}

/** While a node's kubelet is down, the node lifecycle controller marks its pods not Ready (MarkPodsNotReady). */
export function markPodsNotReady(env: ControllerEnv): void {
  const now = rfc3339(env.now());
  for (const pod of pods(env)) {
    const name = pod.spec.nodeName;
    if (!name || env.kubelets.get(name)?.reachable !== false) continue;
    if (pod.status.phase !== 'Running' || pod.status.conditions?.find((c) => c.type === 'Ready')?.status === 'False')
      continue;
    const next = copy(pod);
    next.status.conditions = readiness(next, false, now);
    env.store.save('pods', next);
  }
}
