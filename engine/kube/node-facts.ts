// A Node object as the facts playbooks use: roles, Ready, kubelet version, taints, cordon.
import type { V1Node } from '@kubernetes/client-node';

export type NodeFacts = {
  name: string;
  roles: string[];
  /** 'server' when the node carries a control-plane/master/etcd role label (k3s does), else 'agent'. */
  k3s_role: 'server' | 'agent';
  ready: boolean;
  ready_reason?: string;
  kubelet_version: string;
  unschedulable: boolean;
  taints: { key: string; value?: string; effect: string }[];
  labels: Record<string, string>;
  annotations: Record<string, string>;
  conditions: { type: string; status: string; reason?: string; message?: string }[];
  internal_ip?: string;
};

const ROLE_PREFIX = 'node-role.kubernetes.io/';
const SERVER_ROLES = new Set(['control-plane', 'master', 'etcd']);

export function nodeFacts(node: V1Node): NodeFacts {
  const labels = node.metadata?.labels ?? {};
  const roles = Object.keys(labels)
    .filter((k) => k.startsWith(ROLE_PREFIX))
    .map((k) => k.slice(ROLE_PREFIX.length))
    .sort();
  const ready = node.status?.conditions?.find((c) => c.type === 'Ready');
  return {
    name: node.metadata?.name ?? '',
    roles,
    k3s_role: roles.some((r) => SERVER_ROLES.has(r)) ? 'server' : 'agent',
    ready: ready?.status === 'True',
    ready_reason: ready?.reason,
    kubelet_version: node.status?.nodeInfo?.kubeletVersion ?? '',
    unschedulable: Boolean(node.spec?.unschedulable),
    taints: (node.spec?.taints ?? []).map((t) => ({
      key: t.key,
      ...(t.value ? { value: t.value } : {}),
      effect: t.effect,
    })),
    labels,
    annotations: node.metadata?.annotations ?? {},
    conditions: (node.status?.conditions ?? []).map((c) => ({
      type: c.type,
      status: c.status,
      ...(c.reason ? { reason: c.reason } : {}),
      ...(c.message ? { message: c.message } : {}),
    })),
    internal_ip: node.status?.addresses?.find((a) => a.type === 'InternalIP')?.address,
  };
}

/** k3s's etcd controllers publish a member on its Node (pkg/etcd: metadata_controller.go, etcd.go setEtcdStatusCondition). */
export const ETCD_MEMBER_ANNOTATION = 'etcd.k3s.cattle.io/node-name';

/** A voting member of k3s's embedded etcd: its member name published, EtcdIsVoter True. */
export function isEtcdMember(f: NodeFacts | undefined): boolean {
  return (
    !!f &&
    Boolean(f.annotations[ETCD_MEMBER_ANNOTATION]) &&
    f.conditions.find((c) => c.type === 'EtcdIsVoter')?.status === 'True'
  );
}
