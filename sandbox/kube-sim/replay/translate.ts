// Recorded requests carry the recording run's uids and resourceVersions (transcript 18 replaces
// the Lease it created in 16; transcript 05 sends an older resourceVersion of the node). A
// replay learns which live value each recorded one stands for from the answers so far, and
// sends the live ones; a recorded resourceVersion never seen stands for the newest one seen
// before it, so "older than the object" stays older.
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class Translation {
  private readonly uids = new Map<string, string>();
  private readonly versions = new Map<number, string>();

  /** Pairs the uids and resourceVersions of a recorded answer with the live answer's, where both have the same shape. */
  learn(recorded: unknown, live: unknown): void {
    if (Array.isArray(recorded) && Array.isArray(live)) recorded.forEach((r, i) => this.learn(r, live[i]));
    if (!isObj(recorded) || !isObj(live)) return;
    for (const [k, r] of Object.entries(recorded)) {
      const l = live[k];
      if (k === 'uid' && typeof r === 'string' && typeof l === 'string') this.uids.set(r, l);
      else if (k === 'resourceVersion' && typeof r === 'string' && typeof l === 'string' && /^\d+$/.test(r))
        this.versions.set(Number(r), l);
      else this.learn(r, l);
    }
  }

  private version(recorded: string): string {
    const n = Number(recorded);
    if (!/^\d+$/.test(recorded)) return recorded;
    const known = [...this.versions.keys()].filter((v) => v <= n).sort((a, b) => b - a);
    return known.length ? this.versions.get(known[0])! : recorded;
  }

  /** A recorded request body with the live values in its metadata. */
  apply(body: unknown): unknown {
    if (!isObj(body)) return body;
    const out = structuredClone(body);
    const meta = out.metadata;
    if (isObj(meta)) {
      if (typeof meta.uid === 'string') meta.uid = this.uids.get(meta.uid) ?? meta.uid;
      if (typeof meta.resourceVersion === 'string') meta.resourceVersion = this.version(meta.resourceVersion);
    }
    return out;
  }
}
