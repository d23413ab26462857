// The fake k3s's etcd controllers: what a k3s server publishes about etcd membership on the
// Node objects, and the member removals it makes from them. One implementation for both API
// backends (kube-sim, a real control plane): each gives it its Nodes and applies the edits it
// returns (NodeEdit: labels and annotations to set or remove, a condition to set).
// As k3s does (pkg/etcd, k3s-io/k3s):
//  - metadata_controller.go handleSelf: a server running etcd labels its own Node
//    node-role.kubernetes.io/etcd=true and annotates it etcd.k3s.cattle.io/node-name (its member
//    name, <node name>-<8 hex>) and etcd.k3s.cattle.io/node-address (its peer address);
//  - etcd.go manageLearners/setEtcdStatusCondition: every etcd-labelled Node gets the condition
//    EtcdIsVoter: True/MemberNotLearner when its node-name is a member, False/NotAMember when not
//    (the fake promotes learners at once: no MemberIsLearner);
//  - member_controller.go sync: etcd.k3s.cattle.io/remove=true removes the member named by the
//    Node's annotations (RemovePeer: name and address both match), then records
//    etcd.k3s.cattle.io/removed-node-name and drops node-name/node-address; when the Node later
//    carries another member name (it rejoined), the flag is reset (remove=false);
//  - member_controller.go onRemove: deleting an etcd Node removes its member, unless it was
//    removed through the annotation already.
// Deliberate differences: no finalizer holds a Node's deletion (the fake sees the Node gone and
// removes the member then); the condition has no periodic heartbeat refresh.
import { statSync } from 'node:fs';
import { membersFileOf, parseMembers, readText as read, removeEtcdMember, type EtcdFiles } from './etcd-members.js';

export const ETCD_ROLE_LABEL = 'node-role.kubernetes.io/etcd';
export const NODE_NAME_ANNOTATION = 'etcd.k3s.cattle.io/node-name';
export const NODE_ADDRESS_ANNOTATION = 'etcd.k3s.cattle.io/node-address';
export const REMOVE_ANNOTATION = 'etcd.k3s.cattle.io/remove';
export const REMOVED_NODE_NAME_ANNOTATION = 'etcd.k3s.cattle.io/removed-node-name';
export const ETCD_CONDITION = 'EtcdIsVoter';

/** This node's own member (name and peer address) when etcd runs from its data dir. */
async function selfMember(files: EtcdFiles): Promise<{ name: string; address: string } | undefined> {
  const name = (await read(files.nameFile))?.trim();
  // statSync, as the reads (etcd-members.ts readText): polled every 200 ms per server.
  if (!name || !statSync(files.walDir, { throwIfNoEntry: false })?.isDirectory()) return undefined;
  // The fake's peer URL is https://<node name>:2380; its address is that host.
  return { name, address: name.slice(0, name.lastIndexOf('-')) };
}

export type NodeCondition = {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string;
  lastTransitionTime?: string;
};

/** The parts of a Node the controllers read. */
export type EtcdNode = {
  metadata: { name?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  status?: { conditions?: NodeCondition[] };
};

/** What to change on one Node: null removes a label or an annotation. */
export type NodeEdit = {
  labels?: Record<string, string | null>;
  annotations?: Record<string, string | null>;
  condition?: NodeCondition;
};

function voterCondition(isMember: boolean, old: NodeCondition | undefined, now: string): NodeCondition | undefined {
  const want = isMember
    ? { status: 'True', reason: 'MemberNotLearner', message: 'Node is a voting member of the etcd cluster' }
    : { status: 'False', reason: 'NotAMember', message: 'Node is not a member of the etcd cluster' };
  if (old && old.status === want.status && old.reason === want.reason && old.message === want.message) return undefined;
  return {
    type: ETCD_CONDITION,
    ...want,
    lastHeartbeatTime: now,
    lastTransitionTime: old?.status === want.status && old.lastTransitionTime ? old.lastTransitionTime : now,
  };
}

function setMeta(
  target: Record<string, string>,
  edit: Record<string, string | null>,
  key: string,
  value: string | null,
): void {
  if (value === null ? key in target : target[key] !== value) edit[key] = value;
  if (value === null) delete target[key];
  else target[key] = value;
}

/**
 * One pass of the three controllers over a Node (handleSelf, member sync, the voter condition),
 * each on what the one before left. Removes members from the list file as it goes.
 */
export async function syncEtcdNode(node: EtcdNode, files: EtcdFiles, now: string): Promise<NodeEdit | undefined> {
  const labels = { ...node.metadata.labels };
  const annotations = { ...node.metadata.annotations };
  const edit: Required<Pick<NodeEdit, 'labels' | 'annotations'>> = { labels: {}, annotations: {} };
  const self = await selfMember(files);
  if (self) {
    setMeta(annotations, edit.annotations, NODE_NAME_ANNOTATION, self.name);
    setMeta(annotations, edit.annotations, NODE_ADDRESS_ANNOTATION, self.address);
    setMeta(labels, edit.labels, ETCD_ROLE_LABEL, 'true');
  }
  const membersFile = await membersFileOf(files);
  if (ETCD_ROLE_LABEL in labels && REMOVE_ANNOTATION in annotations) {
    const removed = annotations[REMOVED_NODE_NAME_ANNOTATION];
    const current = annotations[NODE_NAME_ANNOTATION];
    if (removed !== undefined) {
      // Rejoined under a new member name: the removal is done with, the flag reset.
      if (current !== undefined && current !== removed) {
        setMeta(annotations, edit.annotations, REMOVED_NODE_NAME_ANNOTATION, null);
        setMeta(annotations, edit.annotations, REMOVE_ANNOTATION, 'false');
      }
    } else if (annotations[REMOVE_ANNOTATION].toLowerCase() === 'true' && current !== undefined) {
      const address = annotations[NODE_ADDRESS_ANNOTATION];
      if (address !== undefined) {
        await removeEtcdMember(membersFile, current, address);
        setMeta(annotations, edit.annotations, REMOVED_NODE_NAME_ANNOTATION, current);
        setMeta(annotations, edit.annotations, NODE_NAME_ANNOTATION, null);
        setMeta(annotations, edit.annotations, NODE_ADDRESS_ANNOTATION, null);
      }
    }
  }
  let condition: NodeCondition | undefined;
  const members = parseMembers((await read(membersFile)) ?? '');
  // The leader's learner management: only while the cluster has members to ask.
  if (ETCD_ROLE_LABEL in labels && members.length) {
    const name = annotations[NODE_NAME_ANNOTATION];
    const old = node.status?.conditions?.find((c) => c.type === ETCD_CONDITION);
    condition = voterCondition(name !== undefined && members.some((m) => m.name === name), old, now);
  }
  const out: NodeEdit = {
    ...(Object.keys(edit.labels).length ? { labels: edit.labels } : {}),
    ...(Object.keys(edit.annotations).length ? { annotations: edit.annotations } : {}),
    ...(condition ? { condition } : {}),
  };
  return Object.keys(out).length ? out : undefined;
}

/** onRemove: the member of a deleted etcd Node leaves the cluster, unless the annotation removed it already. */
export async function removeDeletedNodeMember(node: EtcdNode, files: EtcdFiles): Promise<boolean> {
  const labels = node.metadata.labels ?? {};
  const a = node.metadata.annotations ?? {};
  if (!(ETCD_ROLE_LABEL in labels)) return false;
  if (a[REMOVE_ANNOTATION]?.toLowerCase() === 'true' && a[REMOVED_NODE_NAME_ANNOTATION]) return false;
  const name = a[NODE_NAME_ANNOTATION];
  const address = a[NODE_ADDRESS_ANNOTATION];
  if (name === undefined || address === undefined) return false;
  return removeEtcdMember(await membersFileOf(files), name, address);
}

/** The backend's side: its Nodes, and a way to apply an edit to the current version of one. */
export type EtcdNodeStore = {
  list(): Promise<EtcdNode[]> | EtcdNode[];
  apply(name: string, edit: NodeEdit): Promise<void> | void;
};

/** Runs the controllers over the Nodes that have etcd files (the sandbox's k3s nodes), once per call. */
export class EtcdControllers {
  private seen = new Map<string, EtcdNode>();

  constructor(
    private readonly files: Record<string, EtcdFiles>,
    private readonly store: EtcdNodeStore,
    private readonly now: () => string = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  ) {}

  async sync(): Promise<boolean> {
    let changed = false;
    const nodes = await this.store.list();
    const present = new Set(nodes.map((n) => n.metadata.name!));
    for (const [name, last] of this.seen) {
      if (present.has(name)) continue;
      this.seen.delete(name);
      const files = this.files[name];
      if (files && (await removeDeletedNodeMember(last, files))) changed = true;
    }
    for (const node of nodes) {
      const name = node.metadata.name!;
      const files = this.files[name];
      if (!files) continue;
      const edit = await syncEtcdNode(node, files, this.now());
      if (edit) {
        await this.store.apply(name, edit);
        changed = true;
      }
      this.seen.set(name, applyEdit(node, edit));
    }
    return changed;
  }
}

/** The Node with the edit applied (labels, annotations, the condition by type). */
export function applyEdit<T extends EtcdNode>(node: T, edit: NodeEdit | undefined): T {
  if (!edit) return node;
  const next = structuredClone(node);
  const meta = (cur: Record<string, string> | undefined, e: Record<string, string | null> | undefined) => {
    const out = { ...cur };
    for (const [k, v] of Object.entries(e ?? {})) {
      if (v === null) delete out[k];
      else out[k] = v;
    }
    return out;
  };
  next.metadata.labels = meta(node.metadata.labels, edit.labels);
  next.metadata.annotations = meta(node.metadata.annotations, edit.annotations);
  if (edit.condition) {
    const conditions = (next.status?.conditions ?? []).filter((c) => c.type !== edit.condition!.type);
    next.status = { ...next.status, conditions: [...conditions, edit.condition] };
  }
  return next;
}
