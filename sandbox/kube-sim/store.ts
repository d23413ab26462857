// The object store: etcd's part of the API server. One global revision, bumped by every
// write and stamped on the written object as its resourceVersion; a short event history
// so watches can resume from a resourceVersion.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from './types.js';
import { rfc3339 } from './clock.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

/** `table` is the GroupResource string: "pods", "leases.coordination.k8s.io". */
export type StoreEvent = { type: WatchEventType; table: string; object: KubeObject; revision: number };

export type StoreListener = (event: StoreEvent) => void;

const HISTORY = 5000;

export class ObjectStore {
  private revision = 100;
  private readonly tables = new Map<string, Map<string, KubeObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<StoreListener>();

  get resourceVersion(): string {
    return String(this.revision);
  }

  get(table: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const o = this.table(table).get(key(namespace, name));
    return o && structuredClone(o);
  }

  /** Every object of a table (in one namespace when given), sorted by namespace then name. */
  list(table: string, namespace?: string): KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.table(table).values()) {
      if (namespace === undefined || o.metadata.namespace === namespace) out.push(structuredClone(o));
    }
    return out.sort((a, b) => key(a.metadata.namespace, a.metadata.name!).localeCompare(key(b.metadata.namespace, b.metadata.name!)));
  }

  /** Stores a new object; fills uid and creationTimestamp when the caller did not. */
  create(table: string, obj: KubeObject): KubeObject {
    const stored = structuredClone(obj);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= rfc3339(Date.now());
    stored.metadata.resourceVersion = String(++this.revision);
    this.table(table).set(key(stored.metadata.namespace, stored.metadata.name!), stored);
    this.emit({ type: 'ADDED', table, object: stored, revision: this.revision });
    return structuredClone(stored);
  }

  /** Replaces an existing object. A write that changes nothing is not a write: no new resourceVersion, no event. */
  update(table: string, obj: KubeObject): KubeObject {
    const k = key(obj.metadata.namespace, obj.metadata.name!);
    const current = this.table(table).get(k);
    if (!current) throw new Error(`store: ${table} ${k} does not exist`);
    const next = structuredClone(obj);
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (isDeepStrictEqual(next, current)) return structuredClone(current);
    next.metadata.resourceVersion = String(++this.revision);
    this.table(table).set(k, next);
    this.emit({ type: 'MODIFIED', table, object: next, revision: this.revision });
    return structuredClone(next);
  }

  remove(table: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = key(namespace, name);
    const current = this.table(table).get(k);
    if (!current) return undefined;
    this.table(table).delete(k);
    // etcd stamps the deletion with its own revision; watchers see the object at that version.
    const gone = structuredClone(current);
    gone.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', table, object: gone, revision: this.revision });
    return structuredClone(gone);
  }

  subscribe(listener: StoreListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Events after `revision`, or 'gone' when the history no longer reaches back that far. */
  eventsSince(revision: number): StoreEvent[] | 'gone' {
    const oldest = this.history[0]?.revision ?? this.revision + 1;
    if (revision < oldest - 1 && revision < this.revision) return 'gone';
    return this.history.filter((e) => e.revision > revision);
  }

  private emit(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const l of this.listeners) l(event);
  }

  private table(name: string): Map<string, KubeObject> {
    let t = this.tables.get(name);
    if (!t) this.tables.set(name, (t = new Map()));
    return t;
  }
}

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
