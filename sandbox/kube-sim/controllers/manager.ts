// Runs the controllers: after every write (coalesced), on a tick for deadlines, and polls
// the nodeSource. Each pass runs them in order until nothing changes.
import type { ControllerEnv } from './env.js';
import { disruption } from './disruption.js';
import { garbageCollector, podGc } from './gc.js';
import type { NodeSource } from './kubelets.js';
import { kubelet, markPodsNotReady } from './kubelet.js';
import { nodeLifecycle } from './node-lifecycle.js';
import { scheduler } from './scheduler.js';
import { taintEviction } from './taint-eviction.js';
import { ttl } from './ttl.js';
import { daemonSets } from './daemonset.js';
import { deployments } from './deployment.js';
import { replicaSets } from './replicaset.js';

const CONTROLLERS = [
  ttl,
  nodeLifecycle,
  markPodsNotReady,
  taintEviction,
  podGc,
  garbageCollector,
  deployments,
  replicaSets,
  daemonSets,
  scheduler,
  kubelet,
  disruption,
];

const MAX_PASSES = 20;

export class ControllerManager {
  private scheduled = false;
  private running = false;
  private timers: NodeJS.Timeout[] = [];
  private polling = false;
  private unsubscribe?: () => void;
  private stopped = false;
  /** A write happened since the last pass settled. */
  private dirty = true;

  constructor(
    private readonly env: ControllerEnv,
    private readonly nodeSource: NodeSource | undefined,
    private readonly onError: (e: unknown) => void = (e) => console.error('kube-sim controller:', e),
  ) {}

  /** Runs the controllers until the store stops changing. */
  reconcile(): void {
    if (this.running) return;
    this.running = true;
    this.env.runtime.nextDue = Infinity;
    try {
      for (let i = 0; i < MAX_PASSES; i++) {
        const before = this.env.store.resourceVersion;
        for (const c of CONTROLLERS) c(this.env);
        if (this.env.store.resourceVersion === before) break;
      }
      this.dirty = false;
    } catch (e) {
      this.onError(e);
    } finally {
      this.running = false;
    }
  }

  kick(): void {
    this.dirty = true;
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.reconcile();
    });
  }

  /** Brings a freshly loaded cluster to its steady state at once: pods start without delay. */
  settle(): void {
    this.env.runtime.instant = true;
    try {
      this.reconcile();
    } finally {
      this.env.runtime.instant = false;
    }
  }

  /** Called after each poll of the node source (the cluster registers joining nodes there). */
  afterPoll?: (source: NodeSource) => Promise<void>;

  async pollNodes(): Promise<void> {
    if (!this.nodeSource || this.polling) return;
    this.polling = true;
    try {
      if (await this.env.kubelets.poll(this.nodeSource)) this.kick();
      await this.afterPoll?.(this.nodeSource);
    } finally {
      this.polling = false;
    }
  }

  start(): void {
    const { tickMs, nodePollMs } = this.env.timings;
    const unsubscribe = this.env.store.subscribe(() => (this.dirty = true));
    this.unsubscribe = unsubscribe;
    this.timers.push(setInterval(() => this.tick(), tickMs));
    if (this.nodeSource) this.timers.push(setInterval(() => void this.pollNodes().catch(this.onError), nodePollMs));
    for (const t of this.timers) t.unref();
  }

  /**
   * Between writes, only timed work (pods starting or stopping, NoExecute tolerations running
   * out, evictions expiring) needs the controllers, when the earliest of it falls due: a pass
   * scans every pod, so running one each tick while a pod takes two seconds to start was most
   * of kube-sim's CPU during an upgrade.
   */
  private tick(): void {
    if (this.dirty || this.env.now() >= this.env.runtime.nextDue) this.reconcile();
  }

  stop(): void {
    this.unsubscribe?.();
    this.stopped = true;
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }
}
