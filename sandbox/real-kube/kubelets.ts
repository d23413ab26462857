// The kubelets of every node, played as clients of the real API under their own identity.
// What each would report (up or down, Ready or not, its version) is kube-sim's Kubelets
// state, steered by hand or polled from a NodeSource (commands on the sandbox fleet). Three
// loops, each at most once at a time: heartbeats (Leases, node status) every second; pods
// on every change of a pod (a watch) and every second; the node source every second.
import type { V1Node } from '@kubernetes/client-node';
import { Kubelets, type KubeletState, type NodeSource } from '../kube-sim/controllers/kubelets.js';
import type { ScenarioNode } from '../kube-sim/scenario.js';
import { strategicMerge, tolerant, type ApiClients } from './clients.js';
import { healthOf, postStatus, registerNode, renewLease, statusStale } from './kubelet-node.js';
import { podAction, type NodeFacts } from './kubelet-pods.js';
import { provisionLocalPath } from './local-path.js';
import { Coalesced } from './loop.js';
import { watchKicks } from './watch-kicks.js';

export type NodeChange = { ready?: boolean; reachable?: boolean; kubeletVersion?: string };

export type FakeKubeletsOptions = {
  api: ApiClients;
  source?: NodeSource;
  defaultVersion: string;
  log?: (line: string) => void;
  intervalMs?: number;
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

  constructor(private readonly o: FakeKubeletsOptions) {
    const every = o.intervalMs ?? 1000;
    const log = (what: string) => (e: unknown) => o.log?.(`fake kubelets: ${what}: ${(e as Error).message}`);
    this.heartbeat = new Coalesced(() => this.beat(), every, log('heartbeat'));
    this.pods = new Coalesced(() => this.syncPods(), every, log('pods'));
    if (o.source) this.poller = new Coalesced(() => this.poll(), every, log('node source'));
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
      name: n.name, role: n.role ?? 'agent', kubeletVersion: version, internalIP, podCIDR,
      labels: n.labels, annotations: n.annotations, taints: n.taints, unschedulable: n.unschedulable, etcd: n.etcd,
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

  private async syncPods(): Promise<void> {
    const api = this.o.api;
    const pods = (await api.core.listPodForAllNamespaces()).items;
    // A pod waiting for its claim is not bound yet: provision while any pod is unbound.
    if (pods.some((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp)) await provisionLocalPath(api);
    await Promise.all(
      pods.map(async (pod) => {
        const nodeName = pod.spec?.nodeName;
        const reg = nodeName ? this.nodes.get(nodeName) : undefined;
        if (!reg) return;
        const action = podAction(pod, healthOf(this.states.get(nodeName!)), reg.facts);
        const { name, namespace, uid } = pod.metadata!;
        if (!action) return;
        if (action.kind === 'finish') {
          // As the kubelet: grace 0, only this pod (not one recreated with its name). In the body:
          // with a body, kube-apiserver ignores the gracePeriodSeconds query parameter.
          await tolerant(api.core.deleteNamespacedPod({ name: name!, namespace: namespace!, body: { gracePeriodSeconds: 0, preconditions: { uid } } }));
          return;
        }
        if (action.kind === 'terminating') this.pods.wakeAt(action.atMs);
        if (action.patch) await tolerant(api.core.patchNamespacedPodStatus({ name: name!, namespace: namespace!, body: action.patch }, strategicMerge()));
      }),
    );
  }

  async close(): Promise<void> {
    this.watch?.stop();
    await Promise.all([this.heartbeat.stop(), this.pods.stop(), this.poller?.stop()]);
  }
}
