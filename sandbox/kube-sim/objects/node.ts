// Nodes as a k3s kubelet registers them: k3s labels and annotations, role labels on
// servers, nodeInfo, addresses; and the validation of a node's taints.
import { duplicate, invalid, notSupported, required, type FieldError } from '../api/field-errors.js';
import { isQualifiedName, isValidLabelValue } from './names.js';
import type { Labels, Node, Taint } from '../types.js';

export type NodeRole = 'server' | 'agent';

export type NodeInit = {
  name: string;
  role: NodeRole;
  kubeletVersion: string;
  internalIP: string;
  podCIDR: string;
  labels?: Labels;
  annotations?: Labels;
  taints?: Taint[];
  unschedulable?: boolean;
  /** k3s labels servers with node-role.kubernetes.io/etcd only when they run embedded etcd. */
  etcd?: boolean;
  arch?: string;
};

export function buildNode(init: NodeInit): Node {
  const arch = init.arch ?? 'amd64';
  const labels: Labels = {
    'beta.kubernetes.io/arch': arch,
    'beta.kubernetes.io/instance-type': 'k3s',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': arch,
    'kubernetes.io/hostname': init.name,
    'kubernetes.io/os': 'linux',
    'node.kubernetes.io/instance-type': 'k3s',
  };
  if (init.role === 'server') {
    labels['node-role.kubernetes.io/control-plane'] = 'true';
    labels['node-role.kubernetes.io/master'] = 'true';
    if (init.etcd ?? true) labels['node-role.kubernetes.io/etcd'] = 'true';
  }
  const spec: Node['spec'] = { podCIDR: init.podCIDR, podCIDRs: [init.podCIDR], providerID: `k3s://${init.name}` };
  if (init.unschedulable) spec.unschedulable = true;
  if (init.taints?.length) spec.taints = init.taints;
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: init.name,
      labels: { ...labels, ...init.labels },
      annotations: {
        'alpha.kubernetes.io/provided-node-ip': init.internalIP,
        'k3s.io/hostname': init.name,
        'k3s.io/internal-ip': init.internalIP,
        'k3s.io/node-args': JSON.stringify([init.role]),
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        ...init.annotations,
      },
    },
    spec,
    status: {
      addresses: [
        { type: 'InternalIP', address: init.internalIP },
        { type: 'Hostname', address: init.name },
      ],
      allocatable: { cpu: '2', 'ephemeral-storage': '19475657836', memory: '3910436Ki', pods: '110' },
      capacity: { cpu: '2', 'ephemeral-storage': '20019812Ki', memory: '4012836Ki', pods: '110' },
      conditions: [],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: nodeInfo(init.kubeletVersion, arch),
      images: [],
    },
  };
}

export function nodeInfo(kubeletVersion: string, arch = 'amd64'): Record<string, string> {
  return {
    architecture: arch,
    bootID: '00000000-0000-0000-0000-000000000000',
    containerRuntimeVersion: 'containerd://1.7.23-k3s2',
    kernelVersion: '6.1.0-28-amd64',
    kubeProxyVersion: kubeletVersion,
    kubeletVersion,
    machineID: '',
    operatingSystem: 'linux',
    osImage: 'Debian GNU/Linux 12 (bookworm)',
    systemUUID: '',
  };
}

const EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];

/** %#v of the internal core.Taint, as field.Duplicate prints it. */
const goTaint = (t: Taint) =>
  `core.Taint{Key:${JSON.stringify(t.key ?? '')}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect ?? '')}, TimeAdded:${t.timeAdded ? '(*v1.Time)(0xc000a1b2c0)' : '(*v1.Time)(nil)'}}`;

/** validateNodeTaints, under the path the API server gives them: metadata.taints (transcript 07). */
function validateTaints(taints: Taint[], path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Map<string, Set<string>>();
  taints.forEach((t, i) => {
    const at = `${path}[${i}]`;
    for (const m of isQualifiedName(t.key ?? '')) errs.push(invalid(`${at}.key`, t.key ?? '', m));
    const valueErrs = isValidLabelValue(t.value ?? '');
    if (valueErrs.length) errs.push(invalid(`${at}.value`, t.value ?? '', valueErrs.join(';')));
    if (!t.effect) errs.push(required(`${at}.effect`, ''));
    else if (!EFFECTS.includes(t.effect)) errs.push(notSupported(`${at}.effect`, t.effect, EFFECTS));
    const keys = seen.get(t.effect) ?? new Set<string>();
    if (keys.has(t.key)) {
      errs.push({ ...duplicate(at, t, 'taints must be unique by key and effect pair'), shown: goTaint(t) });
      return;
    }
    seen.set(t.effect, keys.add(t.key));
  });
  return errs;
}

/** ValidateNode; an update also runs ValidateNodeUpdate, which checks the taints once more (transcript 07: each cause twice). */
export function validateNode(node: Node, old?: Node): FieldError[] {
  const taints = validateTaints(node.spec?.taints ?? [], 'metadata.taints');
  return old ? [...taints, ...taints] : taints;
}

/** The TaintNodesByCondition admission plugin: a new node is not-ready until its lifecycle controller says otherwise (transcript 03). */
export function admitNode(node: Node): void {
  node.spec ??= {};
  const taints = (node.spec.taints ??= []);
  if (!taints.some((t) => t.key === 'node.kubernetes.io/not-ready' && t.effect === 'NoSchedule'))
    taints.push({ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' });
}

export function readyCondition(node: Node) {
  return node.status?.conditions?.find((c) => c.type === 'Ready');
}

export function isNodeReady(node: Node): boolean {
  return readyCondition(node)?.status === 'True';
}
