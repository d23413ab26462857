// Steering the simulated cluster from a test or the admin surface: objects are created
// through the same code path as API requests (defaults, validation), kubelets are set
// directly.
import type { ApiContext } from './api/context.js';
import { createObject } from './api/write.js';
import { resourceByKind } from './api/resources.js';
import { rfc3339 } from './clock.js';
import { hasCommands } from './controllers/command-source.js';
import type { Kubelets, KubeletState, NodeSource } from './controllers/kubelets.js';
import { READY_ANNOTATION } from './controllers/kubelet.js';
import { daemonSetFrom, deploymentFrom, leaseFrom, pdbFor, pdbFrom, podFrom, pvcFrom } from './objects/builders.js';
import { buildNode } from './objects/node.js';
import type {
  Scenario,
  ScenarioDaemonSet,
  ScenarioDeployment,
  ScenarioLease,
  ScenarioNode,
  ScenarioPdb,
  ScenarioPod,
  ScenarioPvc,
} from './scenario.js';
import type { ObjectStore } from './store.js';
import type { KubeObject, Pod } from './types.js';

export const DEFAULT_KUBELET_VERSION = 'v1.31.4+k3s1';

export type NodeChange = {
  ready?: boolean;
  reachable?: boolean;
  kubeletVersion?: string;
  keepUnreachableTaint?: boolean;
};

export class Cluster {
  constructor(
    private readonly store: ObjectStore,
    private readonly api: ApiContext,
    private readonly kubelets: Kubelets,
    /** True when a nodeSource answers for nodes; nodes it cannot know about are then steered by hand. */
    private readonly polled: 'callback' | 'commands' | 'none',
    private defaultVersion = DEFAULT_KUBELET_VERSION,
  ) {}

  /** Through the API's create, as a client would: k3s registers nodes, the rest stands for kubectl (the field manager's name). */
  private create(kind: string, obj: KubeObject): KubeObject {
    const def = resourceByKind(kind);
    if (def.namespaced) this.addNamespace(obj.metadata.namespace ?? 'default');
    const userAgent = kind === 'Node' ? 'k3s/kube-sim' : 'kube-sim/scenario';
    return createObject(this.api, {
      verb: 'create',
      def,
      namespace: obj.metadata.namespace,
      query: new URLSearchParams(),
      body: JSON.stringify(obj),
      userAgent,
    }).body as KubeObject;
  }

  addNamespace(name: string): KubeObject {
    return (
      this.store.get('namespaces', undefined, name) ??
      this.create('Namespace', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } })
    );
  }

  addNode(n: ScenarioNode): KubeObject {
    const index = this.store.list('nodes').length;
    const version = n.kubeletVersion ?? this.defaultVersion;
    const node = this.create(
      'Node',
      buildNode({
        name: n.name,
        role: n.role ?? 'agent',
        kubeletVersion: version,
        internalIP: n.internalIP ?? `10.0.0.${11 + index}`,
        podCIDR: `10.42.${index}.0/24`,
        labels: n.labels,
        annotations: n.annotations,
        taints: n.taints,
        unschedulable: n.unschedulable,
        etcd: n.etcd,
      }),
    );
    const manual = this.polled === 'none' || (this.polled === 'commands' && !hasCommands(n));
    this.kubelets.register(n.name, {
      version,
      ready: n.ready ?? true,
      reachable: n.reachable ?? true,
      keepUnreachableTaint: n.keepUnreachableTaint ?? false,
      manual,
    });
    this.api.kick();
    return node;
  }

  /** Deletes a node as `kubectl delete node` would; its pods are then collected. */
  removeNode(name: string): void {
    this.store.remove('nodes', undefined, name);
    this.kubelets.forget(name);
    this.api.kick();
  }

  addDeployment(d: ScenarioDeployment): KubeObject {
    const out = this.create('Deployment', deploymentFrom(d));
    const pdb = pdbFor(d);
    if (pdb) this.create('PodDisruptionBudget', pdb);
    return out;
  }

  addDaemonSet(d: ScenarioDaemonSet): KubeObject {
    return this.create('DaemonSet', daemonSetFrom(d));
  }

  addPod(p: ScenarioPod): KubeObject {
    const nodeUid = p.node ? this.store.get('nodes', undefined, p.node)?.metadata.uid : undefined;
    const pod = podFrom(p, nodeUid);
    if (p.ready === false) pod.metadata.annotations = { ...pod.metadata.annotations, [READY_ANNOTATION]: 'false' };
    let created = this.create('Pod', pod) as Pod;
    if (p.phase === 'Succeeded' || p.phase === 'Failed' || p.phase === 'Running') {
      // A finished pod (or one declared running) is set as its kubelet would have left it.
      const now = rfc3339(Date.now());
      const done = p.phase !== 'Running';
      const ready = !done && p.ready !== false;
      created.status = {
        ...created.status,
        phase: p.phase,
        startTime: now,
        conditions: ['Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
          type,
          status: type === 'Ready' || type === 'ContainersReady' ? (ready ? 'True' : 'False') : 'True',
          lastProbeTime: null,
          lastTransitionTime: now,
          ...(done && (type === 'Ready' || type === 'ContainersReady') ? { reason: 'PodCompleted' } : {}),
        })),
      };
      created = this.store.update('pods', created) as Pod;
    }
    this.api.kick();
    return created;
  }

  addPdb(p: ScenarioPdb): KubeObject {
    return this.create('PodDisruptionBudget', pdbFrom(p));
  }

  addPvc(c: ScenarioPvc): KubeObject {
    return this.create('PersistentVolumeClaim', pvcFrom(c));
  }

  addLease(l: ScenarioLease): KubeObject {
    return this.create('Lease', leaseFrom(l));
  }

  /** Nodes that register when their kubelet first answers (see ScenarioNode.joins). */
  private readonly joining = new Map<string, ScenarioNode>();
  /** Every scenario node, as given: what a wiped node registers as again. */
  private readonly declared = new Map<string, ScenarioNode>();

  /**
   * The node's machine was wiped (k3s uninstalled, its data gone): its Node and kubelet state
   * go, and it registers again, as the scenario described it, when its kubelet next answers.
   */
  wipeNode(name: string): boolean {
    const n = this.declared.get(name);
    // A node no command reports on would never answer again.
    if (!n || !hasCommands(n)) return false;
    if (this.store.get('nodes', undefined, name)) this.removeNode(name);
    this.kubelets.forget(name);
    this.joining.set(name, { ...n, joins: true });
    return true;
  }

  /** A joining node becomes a Node object the first time its source reports it reachable, as a kubelet registers. */
  async registerJoined(source: NodeSource): Promise<void> {
    for (const [name, n] of this.joining) {
      const report = await Promise.resolve(source(name)).catch(() => undefined);
      if (report === undefined) continue;
      this.joining.delete(name);
      // With the version its kubelet reports, as real-kube registers it (not the default's, polled later).
      this.addNode({ ...n, joins: false, kubeletVersion: report.kubeletVersion ?? n.kubeletVersion });
    }
  }

  /** Adds everything a scenario (or a fragment of one) describes. */
  apply(s: Scenario): void {
    if (s.kubeletVersion) this.defaultVersion = s.kubeletVersion;
    for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease', ...(s.namespaces ?? [])])
      this.addNamespace(ns);
    for (const n of s.nodes ?? []) {
      this.declared.set(n.name, n);
      if (n.joins) this.joining.set(n.name, n);
      else this.addNode(n);
    }
    for (const c of s.pvcs ?? []) this.addPvc(c);
    for (const d of s.deployments ?? []) this.addDeployment(d);
    for (const d of s.daemonsets ?? []) this.addDaemonSet(d);
    for (const p of s.pods ?? []) this.addPod(p);
    for (const p of s.pdbs ?? []) this.addPdb(p);
    for (const l of s.leases ?? []) this.addLease(l);
  }

  /** Sets what a node's kubelet reports; the nodeSource leaves this node alone until releaseNode. */
  setNode(name: string, change: NodeChange): KubeletState {
    const next: Partial<KubeletState> = { manual: true };
    if (change.ready !== undefined) next.ready = change.ready;
    if (change.reachable !== undefined) next.reachable = change.reachable;
    if (change.kubeletVersion !== undefined) next.version = change.kubeletVersion;
    if (change.keepUnreachableTaint !== undefined) next.keepUnreachableTaint = change.keepUnreachableTaint;
    const s = this.kubelets.set(name, next);
    this.api.kick();
    return s;
  }

  /** Hands a node back to the nodeSource. */
  releaseNode(name: string): void {
    this.kubelets.release(name);
  }

  /** Makes a pod pass or fail its readiness probe. */
  setPodReady(namespace: string, name: string, ready: boolean): void {
    const pod = this.store.get('pods', namespace, name);
    if (!pod) throw new Error(`kube-sim: no pod ${namespace}/${name}`);
    const annotations = { ...pod.metadata.annotations };
    if (ready) delete annotations[READY_ANNOTATION];
    else annotations[READY_ANNOTATION] = 'false';
    pod.metadata.annotations = annotations;
    this.store.update('pods', pod);
    this.api.kick();
  }

  /** gitVersion for /version: the first server's kubelet version (k3s runs the API server inside it). */
  serverVersion(): string {
    const servers = this.store
      .list('nodes')
      .filter((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === 'true');
    for (const n of servers) {
      const v = this.kubelets.get(n.metadata.name!)?.version;
      if (v) return v;
    }
    return this.defaultVersion;
  }
}
