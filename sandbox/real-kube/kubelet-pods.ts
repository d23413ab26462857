// What a running kubelet does with a pod bound to its node, decided from the pod alone:
// start it (Running, Ready unless its readiness probe is made to fail), follow the node's
// readiness, and finish a graceful deletion once its containers stopped. Pure: the caller
// sends the patches. A kubelet that is down does nothing, so its pods stay Terminating.
import type { V1Pod } from '@kubernetes/client-node';
import { createHash } from 'node:crypto';
import { rfc3339 } from '../kube-sim/clock.js';
import { READY_ANNOTATION } from '../kube-sim/controllers/kubelet.js';
import { TERMINATE_ANNOTATION } from '../kube-sim/objects/pod.js';
import { waitingReason, waitingStatus } from '../kube-sim/objects/waiting.js';
import type { Health } from './kubelet-node.js';

/** Seconds a container takes to stop after SIGTERM unless the pod's annotation says otherwise (kube-sim's default). */
export const DEFAULT_TERMINATE_SECONDS = 1;

export type NodeFacts = { internalIP?: string; podCIDR?: string };

export type PodAction =
  | { kind: 'status'; patch: object }
  /** Terminating: its containers are stopping; delete it (grace 0) at `atMs`; `patch` first marks it not Ready. */
  | { kind: 'terminating'; atMs: number; patch?: object }
  | { kind: 'finish' };

const readyOf = (pod: V1Pod) => pod.status?.conditions?.find((c) => c.type === 'Ready')?.status;

function seconds(pod: V1Pod, annotation: string, fallback: number): number {
  const v = Number(pod.metadata?.annotations?.[annotation]);
  return Number.isFinite(v) && v >= 0 ? v : fallback;
}

/** An address in the node's pod CIDR that stays the same for the pod. */
export function podIP(pod: V1Pod, node: NodeFacts): string {
  const base = (node.podCIDR ?? '10.42.0.0/24').split('/')[0].split('.').slice(0, 3).join('.');
  const n = createHash('sha1')
    .update(pod.metadata?.uid ?? pod.metadata?.name ?? '')
    .digest()
    .readUInt16BE(0);
  return `${base}.${(n % 250) + 2}`;
}

const containerID = (pod: V1Pod, name: string) =>
  `containerd://${createHash('sha256').update(`${pod.metadata?.uid}/${name}`).digest('hex')}`;

function containerStatuses(pod: V1Pod, ready: boolean, startedAt: string) {
  const waiting = waitingReason(pod);
  if (waiting) return waitingStatus(pod, waiting, startedAt, (c) => containerID(pod, c)).containerStatuses;
  return (pod.spec?.containers ?? []).map((c) => ({
    name: c.name,
    image: c.image,
    imageID: '',
    containerID: containerID(pod, c.name),
    ready,
    restartCount: 0,
    started: true,
    state: { running: { startedAt } },
  }));
}

function readiness(ready: boolean, now: string, pod: V1Pod) {
  const names = (pod.spec?.containers ?? []).map((c) => c.name).join(' ');
  const why = ready ? {} : { reason: 'ContainersNotReady', message: `containers with unready status: [${names}]` };
  return ['Ready', 'ContainersReady'].map((type) => ({
    type,
    status: ready ? 'True' : 'False',
    lastTransitionTime: now,
    ...why,
  }));
}

function startPatch(pod: V1Pod, node: NodeFacts, ready: boolean, now: string): object {
  const ip = podIP(pod, node);
  const started = ['PodReadyToStartContainers', 'Initialized'].map((type) => ({
    type,
    status: 'True',
    lastTransitionTime: now,
  }));
  const waiting = waitingReason(pod);
  return {
    status: {
      phase: waiting ? waitingStatus(pod, waiting, now).phase : 'Running',
      conditions: [...started, ...readiness(ready, now, pod)],
      ...(node.internalIP ? { hostIP: node.internalIP, hostIPs: [{ ip: node.internalIP }] } : {}),
      podIP: ip,
      podIPs: [{ ip }],
      startTime: now,
      containerStatuses: containerStatuses(pod, ready, now),
    },
  };
}

function readinessPatch(pod: V1Pod, ready: boolean, now: string): object {
  const startedAt = pod.status?.startTime ? rfc3339(new Date(pod.status.startTime).getTime()) : now;
  return {
    status: { conditions: readiness(ready, now, pod), containerStatuses: containerStatuses(pod, ready, startedAt) },
  };
}

/** What the kubelet of the pod's node does now; undefined: nothing. */
export function podAction(
  pod: V1Pod,
  health: Health | undefined,
  node: NodeFacts,
  nowMs = Date.now(),
): PodAction | undefined {
  if (health === undefined || health === 'down') return undefined;
  const now = rfc3339(nowMs);
  const deleting = pod.metadata?.deletionTimestamp;
  if (deleting) {
    const grace = pod.metadata?.deletionGracePeriodSeconds ?? 0;
    // The API sets deletionTimestamp to the time the grace period ends.
    const since = new Date(deleting).getTime() - grace * 1000;
    const atMs = since + Math.min(grace, seconds(pod, TERMINATE_ANNOTATION, DEFAULT_TERMINATE_SECONDS)) * 1000;
    if (nowMs >= atMs) return { kind: 'finish' };
    const running = pod.status?.phase === 'Running' && readyOf(pod) !== 'False';
    return { kind: 'terminating', atMs, ...(running ? { patch: readinessPatch(pod, false, now) } : {}) };
  }
  const phase = pod.status?.phase ?? 'Pending';
  const ready = health === 'ready' && pod.metadata?.annotations?.[READY_ANNOTATION] !== 'false' && !waitingReason(pod);
  // A container that cannot be created keeps the pod Pending: started once, then left so.
  if (phase === 'Pending' && pod.status?.startTime && waitingReason(pod)) return undefined;
  if (phase === 'Pending')
    return health === 'ready' ? { kind: 'status', patch: startPatch(pod, node, ready, now) } : undefined;
  if (phase !== 'Running') return undefined;
  return readyOf(pod) === (ready ? 'True' : 'False')
    ? undefined
    : { kind: 'status', patch: readinessPatch(pod, ready, now) };
}
