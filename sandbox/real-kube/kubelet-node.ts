// A kubelet's dealings with its own Node: register it as k3s does (kube-sim's builder: k3s
// labels and annotations, role labels on servers), renew its Lease in kube-node-lease (the
// heartbeat the node lifecycle controller watches) and post its status (the Ready condition,
// nodeInfo.kubeletVersion) when what the server holds is not what the kubelet would say.
import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';
import { rfc3339 } from '../kube-sim/clock.js';
import type { KubeletState } from '../kube-sim/controllers/kubelets.js';
import { buildNode, nodeInfo, type NodeInit } from '../kube-sim/objects/node.js';
import { mergePatch, statusOf, strategicMerge, type ApiClients } from './clients.js';

export type Health = 'ready' | 'not-ready' | 'down';

export const healthOf = (s: KubeletState | undefined): Health | undefined =>
  !s ? undefined : !s.reachable ? 'down' : s.ready ? 'ready' : 'not-ready';

/** metav1.MicroTime: exactly six fractional digits; Date.toISOString's three are refused with a 400. */
export function microTime(ms: number = Date.now()): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

const CONDITIONS: Array<[type: string, reason: string, message: string]> = [
  ['MemoryPressure', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'],
  ['DiskPressure', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'],
  ['PIDPressure', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'],
];

const READY = {
  ready: { status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' },
  'not-ready': {
    status: 'False',
    reason: 'KubeletNotReady',
    message:
      'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
  },
} as const;

const readyOf = (node: V1Node): V1NodeCondition | undefined => node.status?.conditions?.find((c) => c.type === 'Ready');

/** True when the server's Node says something else than this kubelet would post. */
export function statusStale(node: V1Node, health: 'ready' | 'not-ready', version: string): boolean {
  const ready = readyOf(node);
  return (
    ready?.status !== READY[health].status ||
    ready.reason !== READY[health].reason ||
    node.status?.nodeInfo?.kubeletVersion !== version
  );
}

/** The strategic merge patch of nodes/status a running kubelet sends. */
export function statusPatch(node: V1Node, health: 'ready' | 'not-ready', version: string, nowMs = Date.now()): object {
  const now = rfc3339(nowMs);
  const old = new Map((node.status?.conditions ?? []).map((c) => [c.type, c]));
  const condition = (type: string, c: { status: string; reason: string; message: string }) => {
    const before = old.get(type);
    // The transition time moves only when the status does.
    const since =
      before?.status === c.status && before.lastTransitionTime
        ? rfc3339(new Date(before.lastTransitionTime).getTime())
        : now;
    return { type, ...c, lastHeartbeatTime: now, lastTransitionTime: since };
  };
  const arch = node.status?.nodeInfo?.architecture ?? 'amd64';
  return {
    status: {
      conditions: [
        ...CONDITIONS.map(([type, reason, message]) => condition(type, { status: 'False', reason, message })),
        condition('Ready', READY[health]),
      ],
      nodeInfo: nodeInfo(version, arch),
    },
  };
}

/** Creates the Node as its kubelet registers it; an existing one (a restarted kubelet) is kept. */
export async function registerNode(api: ApiClients, init: NodeInit): Promise<V1Node> {
  try {
    return await api.core.createNode({ body: buildNode(init) as V1Node });
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
    return api.core.readNode({ name: init.name });
  }
}

export async function postStatus(
  api: ApiClients,
  node: V1Node,
  health: 'ready' | 'not-ready',
  version: string,
): Promise<V1Node> {
  return api.core.patchNodeStatus(
    { name: node.metadata!.name!, body: statusPatch(node, health, version) },
    strategicMerge(),
  );
}

/**
 * Renews the node's Lease, creating it (owned by the Node, so it goes with it) when missing.
 * Times go in a merge patch as text: client-node would write a Date with milliseconds.
 */
export async function renewLease(
  api: ApiClients,
  node: { name: string; uid: string },
  nowMs = Date.now(),
): Promise<void> {
  const namespace = 'kube-node-lease';
  const body = { spec: { holderIdentity: node.name, leaseDurationSeconds: 40, renewTime: microTime(nowMs) } };
  try {
    await api.coordination.patchNamespacedLease({ name: node.name, namespace, body }, mergePatch());
    return;
  } catch (e) {
    if (statusOf(e) !== 404) throw e;
  }
  const owner = { apiVersion: 'v1', kind: 'Node', name: node.name, uid: node.uid };
  try {
    await api.coordination.createNamespacedLease({
      namespace,
      body: {
        metadata: { name: node.name, namespace, ownerReferences: [owner] },
        spec: { holderIdentity: node.name, leaseDurationSeconds: 40 },
      },
    });
  } catch (e) {
    if (statusOf(e) !== 409) throw e;
  }
  await api.coordination.patchNamespacedLease({ name: node.name, namespace, body }, mergePatch());
}
