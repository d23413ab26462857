// What each node's kubelet would report, as the test (or a command) says: reachable or
// not, Ready or not, and its version. The node lifecycle controller turns this into
// node conditions and taints.

export type NodeReport = { ready?: boolean; kubeletVersion?: string };

/** undefined means the kubelet does not answer at all (the node becomes Unknown / unreachable). */
export type NodeSource = (name: string) => NodeReport | undefined | Promise<NodeReport | undefined>;

export type KubeletState = {
  reachable: boolean;
  ready: boolean;
  version: string;
  /** Leave node.kubernetes.io/unreachable taints in place when the node is Ready again (the LXC restart problem). */
  keepUnreachableTaint: boolean;
  /** Set by a direct setter: the nodeSource is not asked about this node until cleared. */
  manual: boolean;
};

export class Kubelets {
  private readonly states = new Map<string, KubeletState>();

  register(name: string, init: Partial<KubeletState> & { version: string }): void {
    this.states.set(name, { reachable: true, ready: true, keepUnreachableTaint: false, manual: false, ...init });
  }

  get(name: string): KubeletState | undefined {
    const s = this.states.get(name);
    return s && { ...s };
  }

  names(): string[] {
    return [...this.states.keys()];
  }

  forget(name: string): void {
    this.states.delete(name);
  }

  /** A direct change; `manual` keeps the nodeSource from undoing it until `release`. */
  set(name: string, change: Partial<KubeletState>): KubeletState {
    const s = this.states.get(name);
    if (!s) throw new Error(`kube-sim: no node ${name}`);
    Object.assign(s, change);
    return { ...s };
  }

  release(name: string): void {
    const s = this.states.get(name);
    if (s) s.manual = false;
  }

  /** Asks the source about every node not under manual control; true when something changed. */
  async poll(source: NodeSource): Promise<boolean> {
    let changed = false;
    for (const [name, s] of this.states) {
      if (s.manual) continue;
      let report: NodeReport | undefined;
      try {
        report = await source(name);
      } catch {
        report = undefined;
      }
      if (s.manual || !this.states.has(name)) continue;
      const next = {
        reachable: report !== undefined,
        ready: report?.ready ?? true,
        version: report?.kubeletVersion ?? s.version,
      };
      if (next.reachable !== s.reachable || next.ready !== s.ready || next.version !== s.version) changed = true;
      Object.assign(s, next);
    }
    return changed;
  }
}
