// The kubelets of every node, played as clients of the real API under their own identity.
// What each would report (up or down, Ready or not, its version) is kube-sim's Kubelets
// state, steered by hand or polled from a NodeSource (commands on the sandbox fleet). Three
// loops, each at most once at a time: heartbeats (Leases, node status) every second; pods
// on every change of a pod (a watch) and every second; the node source every second.
import type { V1Node } from '@kubernetes/client-node';
import { EtcdControllers, type EtcdNode } from '../k3s-fake/etcd-controllers.js';
import type { EtcdFiles } from '../k3s-fake/etcd-members.js';
import { Kubelets, type KubeletState, type NodeSource } from '../kube-sim/controllers/kubelets.js';
import type { ScenarioNode } from '../kube-sim/scenario.js';
import { READY_ANNOTATION } from '../kube-sim/controllers/kubelet.js';
import { mergePatch, strategicMerge, tolerant, type ApiClients } from './clients.js';
import { healthOf, postStatus, registerNode, renewLease, statusStale } from './kubelet-node.js';
import type { NodeFacts } from './kubelet-pods.js';
import { Coalesced } from './loop.js';
import { syncPods } from './pod-sync.js';
import { watchKicks } from './watch-kicks.js';

export type NodeChange = { ready?: boolean; reachable?: boolean; kubeletVersion?: string };

export type FakeKubeletsOptions = {
  api: ApiClients;
  source?: NodeSource;
  defaultVersion: string;
  log?: (line: string) => void;
  intervalMs?: number;
  /** The fake k3s servers' etcd files: their etcd controllers run with the node source. */
  etcdFiles?: Record<string, EtcdFiles>;
};

type Registered = { uid: string; facts: NodeFacts; seen: boolean };

export class FakeKubelets {
  private readonly states = new Kubelets();
  private readonly nodes = new Map<string, Registered>();
  private readonly joining = new Map<string, ScenarioNode>();
  private readonly heartbeat: Coalesced;
  private readonly pods: Coalesced;
  private readonly poller?: Coalesced;
  private watch?: { stop(): void };
  private count = 0;
  private readonly etcd?: EtcdControllers;

  constructor(private readonly o: FakeKubeletsOptions) {
    const every = o.intervalMs ?? 1000;
    const log = (what: string) => (e: unknown) => o.log?.(`fake kubelets: ${what}: ${(e as Error).message}`);
    this.heartbeat = new Coalesced(() => this.beat(), every, log('heartbeat'));
    this.pods = new Coalesced(() => this.syncPods(), every, log('pods'));
    if (o.source) this.poller = new Coalesced(() => this.poll(), every, log('node source'));
    if (o.etcdFiles && Object.keys(o.etcdFiles).length) {
      const api = o.api;
      // As k3s: the metadata and the removal flags on the Node, the condition on its status.
      this.etcd = new EtcdControllers(o.etcdFiles, {
        list: async () => (await api.core.listNode()).items as EtcdNode[],
        apply: async (name, edit) => {
          if (edit.labels || edit.annotations) {
            const body = { metadata: { labels: edit.labels, annotations: edit.annotations } };
            await tolerant(api.core.patchNode({ name, body }, mergePatch()));
          }
          if (edit.condition) {
            const body = { status: { conditions: [edit.condition] } };
            await tolerant(api.core.patchNodeStatus({ name, body }, strategicMerge()));
          }
        },
      });
    }
  }

  /** Asks the node source first, so that no node reports Ready before its source had its say. */
  async start(): Promise<void> {
    if (this.o.source) await this.poll();
    this.heartbeat.start();
    this.pods.start();
    this.poller?.start();
    this.watch = watchKicks(this.o.api, '/api/v1/pods', () => this.pods.kick());
  }

  /** Registers the Node as its kubelet does; `joins` waits until the node source first reports the node. */
  async addNode(n: ScenarioNode, manual = !this.o.source): Promise<V1Node | undefined> {
    if (n.joins) {
      this.joining.set(n.name, n);
      return undefined;
    }
    const index = this.count++;
    const version = n.kubeletVersion ?? this.o.defaultVersion;
    const internalIP = n.internalIP ?? `10.0.0.${11 + index}`;
    const podCIDR = `10.42.${index}.0/24`;
    const node = await registerNode(this.o.api, {
      name: n.name,
      role: n.role ?? 'agent',
      kubeletVersion: version,
      internalIP,
      podCIDR,
      labels: n.labels,
      annotations: n.annotations,
      taints: n.taints,
      unschedulable: n.unschedulable,
      etcd: n.etcd,
    });
    this.nodes.set(n.name, { uid: node.metadata!.uid!, facts: { internalIP, podCIDR }, seen: false });
    this.states.register(n.name, { version, ready: n.ready ?? true, reachable: n.reachable ?? true, manual });
    this.heartbeat.kick();
    return node;
  }

  /** Steers a kubelet by hand; the node source leaves it alone until releaseNode. */
  setNode(name: string, change: NodeChange): KubeletState {
    const next: Partial<KubeletState> = { manual: true };
    if (change.ready !== undefined) next.ready = change.ready;
    if (change.reachable !== undefined) next.reachable = change.reachable;
    if (change.kubeletVersion !== undefined) next.version = change.kubeletVersion;
    const s = this.states.set(name, next);
    this.heartbeat.kick();
    this.pods.kick();
    return s;
  }

  releaseNode(name: string): void {
    this.states.release(name);
    this.poller?.kick();
  }

  kubelet(name: string): KubeletState | undefined {
    return this.states.get(name);
  }

  names(): string[] {
    return this.states.names();
  }

  /** A pod's readiness probe passes or fails (kube-sim's annotation, which podAction follows). */
  async setPodReady(namespace: string, name: string, ready: boolean): Promise<void> {
    const body = { metadata: { annotations: { [READY_ANNOTATION]: ready ? null : 'false' } } };
    await this.o.api.core.patchNamespacedPod({ name, namespace, body }, mergePatch());
    this.pods.kick();
  }

  /** Deletes the Node as `kubectl delete node` would; its kubelet goes with it. */
  async removeNode(name: string): Promise<void> {
    this.forget(name);
    await tolerant(this.o.api.core.deleteNode({ name }));
  }

  private async poll(): Promise<void> {
    const source = this.o.source!;
    for (const [name, n] of this.joining) {
      const report = await Promise.resolve(source(name)).catch(() => undefined);
      if (report === undefined) continue;
      this.joining.delete(name);
      await this.addNode({ ...n, joins: false, kubeletVersion: report.kubeletVersion ?? n.kubeletVersion }, false);
    }
    if (await this.states.poll(source)) {
      this.heartbeat.kick();
      this.pods.kick();
    }
    await this.etcd?.sync();
  }

  private async beat(): Promise<void> {
    const listed = new Map((await this.o.api.core.listNode()).items.map((n) => [n.metadata!.name!, n]));
    await Promise.all(
      this.states.names().map(async (name) => {
        const reg = this.nodes.get(name);
        const node = listed.get(name);
        const s = this.states.get(name);
        if (!reg || !s) return;
        if (!node) {
          // Deleted by someone (kubectl delete node): this kubelet is gone with it.
          if (reg.seen) this.forget(name);
          return;
        }
        reg.seen = true;
        const health = healthOf(s);
        if (health !== 'ready' && health !== 'not-ready') return;
        await renewLease(this.o.api, { name, uid: reg.uid });
        if (statusStale(node, health, s.version)) await postStatus(this.o.api, node, health, s.version);
      }),
    );
  }

  private forget(name: string): void {
    this.states.forget(name);
    this.nodes.delete(name);
  }

  private syncPods(): Promise<void> {
    return syncPods(
      this.o.api,
      (name) => {
        const reg = this.nodes.get(name);
        return reg && { health: healthOf(this.states.get(name)), facts: reg.facts };
      },
      (atMs) => this.pods.wakeAt(atMs),
    );
  }

  async close(): Promise<void> {
    this.watch?.stop();
    await Promise.all([this.heartbeat.stop(), this.pods.stop(), this.poller?.stop()]);
  }
}
