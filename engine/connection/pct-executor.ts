// The persistent executor for Proxmox containers: one agent per container, a long-lived
// `pct exec <vmid> -- /bin/sh -s` on the Proxmox node's connection, so a command in the
// container costs a message instead of a `pct exec` (on a real Proxmox node a Perl program that
// loads the cluster's configuration, then lxc-attach).
//
// The agents of one Proxmox node share its connection, and sshd caps the sessions open on one
// connection at once (MaxSessions, 10 by default); a held agent channel is a session. At most
// AGENTS_PER_NODE agents run per Proxmox connection: a container that needs one beyond that
// takes the slot of an agent idle for EVICT_AFTER_IDLE_MS or more (the longest), or else runs its
// command through `pct exec`. The rest of the cap stays free for those commands, the node's own
// agent and kills. Not any idle agent: with more containers than slots running at once, each
// would take another's slot between its commands and start an agent (a pct exec and the script)
// for every command, twice the cost of running it through pct exec.
import { EXECUTOR_START_TIMEOUT_MS } from './executor/enabled.js';
import { ExecutorSession } from './executor/session.js';
import type { AgentProcess, Connection } from './types.js';

export const AGENTS_PER_NODE = 4;
/** How long an agent must have been idle before another container may take its slot. */
export const EVICT_AFTER_IDLE_MS = 2000;
/** Failed starts after which a container's commands go through `pct exec` for the rest of the run. */
const MAX_START_FAILURES = 2;

export type PctExecutorNotice = { mode: 'session' | 'exec'; why?: string };

type Slot = {
  session: Promise<ExecutorSession | undefined>;
  /** Set once started: what eviction looks at (it cannot wait). */
  live?: ExecutorSession;
  lastUsed: number;
};

/** The agents running on one Proxmox node's connection, by vmid. */
const agentsByNode = new WeakMap<Connection, Map<number, Slot>>();

function agentsOf(node: Connection): Map<number, Slot> {
  let m = agentsByNode.get(node);
  if (!m) agentsByNode.set(node, (m = new Map<number, Slot>()));
  return m;
}

/** One container's use of the executor. */
export class PctExecutor {
  private off?: string;
  private failures = 0;

  constructor(
    private readonly node: Connection & { spawn(argv: readonly string[]): Promise<AgentProcess> },
    private readonly vmid: number,
    /** The argv on the Proxmox node that starts the container's shell reading its script on stdin. */
    private readonly launch: readonly string[],
    private readonly notify: (n: PctExecutorNotice) => void,
  ) {}

  /** An idle session in this container, or undefined: then the command goes through `pct exec`. */
  async idle(): Promise<ExecutorSession | undefined> {
    if (this.off) return undefined;
    const agents = agentsOf(this.node);
    const slot = agents.get(this.vmid);
    if (slot) {
      const s = await slot.session;
      if (s && !s.broken) {
        if (s.busy) return undefined;
        slot.lastUsed = Date.now();
        return s;
      }
      if (agents.get(this.vmid) === slot) agents.delete(this.vmid);
      if (s?.broken && ++this.failures >= MAX_START_FAILURES) {
        this.off = `the executor session broke ${this.failures} times (${s.broken})`;
        this.notify({ mode: 'exec', why: this.off });
        return undefined;
      }
    }
    if (agents.size >= AGENTS_PER_NODE && !this.evictIdlest(agents)) return undefined;
    const fresh: Slot = { session: this.start(), lastUsed: Date.now() };
    agents.set(this.vmid, fresh);
    const s = await fresh.session;
    if (!s) {
      if (agents.get(this.vmid) === fresh) agents.delete(this.vmid);
      return undefined;
    }
    fresh.live = s;
    return s.busy ? undefined : s;
  }

  /** Closes the agent idle longest on this node, if idle long enough; false when none is. */
  private evictIdlest(agents: Map<number, Slot>): boolean {
    let oldest: [number, Slot] | undefined;
    const before = Date.now() - EVICT_AFTER_IDLE_MS;
    for (const [vmid, slot] of agents)
      if (slot.live?.usable && slot.lastUsed <= before && (!oldest || slot.lastUsed < oldest[1].lastUsed))
        oldest = [vmid, slot];
    if (!oldest) return false;
    agents.delete(oldest[0]);
    oldest[1].live!.close();
    return true;
  }

  private async start(): Promise<ExecutorSession | undefined> {
    let r: ExecutorSession | string;
    try {
      r = await ExecutorSession.start(await this.node.spawn(this.launch), EXECUTOR_START_TIMEOUT_MS);
    } catch (e) {
      r = `cannot start the executor's shell: ${(e as Error).message}`;
    }
    if (typeof r !== 'string') {
      this.notify({ mode: 'session' });
      return r;
    }
    // A stopped container cannot start one now, and may be started later in the run (pct_container):
    // give up only after repeated failures.
    if (++this.failures >= MAX_START_FAILURES) {
      this.off = r;
      this.notify({ mode: 'exec', why: r });
    }
    return undefined;
  }

  /** Ends this container's agent (the run is over for it). */
  async close(): Promise<void> {
    const agents = agentsOf(this.node);
    const slot = agents.get(this.vmid);
    if (!slot) return;
    agents.delete(this.vmid);
    (await slot.session)?.close();
  }
}
