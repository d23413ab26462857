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
    return o && clone(o);
  }

  /** Every object of a table (in one namespace when given), sorted by namespace then name. */
  list(table: string, namespace?: string): KubeObject[] {
    return this.scan(table, namespace).map(clone);
  }

  /**
   * The stored objects themselves, for the controllers' reads: cheaper than `list`, and
   * never to be mutated (clone first, then `save`).
   */
  scan(table: string, namespace?: string): readonly KubeObject[] {
    const out: KubeObject[] = [];
    for (const o of this.table(table).values())
      if (namespace === undefined || o.metadata.namespace === namespace) out.push(o);
    return out.sort((a, b) =>
      compare(key(a.metadata.namespace, a.metadata.name!), key(b.metadata.namespace, b.metadata.name!)),
    );
  }

  /** The stored object itself (see `scan`). */
  peek(table: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.table(table).get(key(namespace, name));
  }

  /** Stores a new object; fills uid and creationTimestamp when the caller did not. */
  create(table: string, obj: KubeObject): KubeObject {
    const stored = clone(obj);
    stored.metadata.uid ??= randomUUID();
    stored.metadata.creationTimestamp ??= rfc3339(Date.now());
    stored.metadata.resourceVersion = String(++this.revision);
    this.table(table).set(key(stored.metadata.namespace, stored.metadata.name!), stored);
    this.emit({ type: 'ADDED', table, object: stored, revision: this.revision });
    return clone(stored);
  }

  /** Replaces an existing object and returns a copy of what is stored. */
  update(table: string, obj: KubeObject): KubeObject {
    this.save(table, obj);
    return clone(this.peek(table, obj.metadata.namespace, obj.metadata.name!)!);
  }

  /**
   * Replaces an existing object; true when that changed it. A write that changes nothing is
   * not a write: no new resourceVersion, no event.
   */
  save(table: string, obj: KubeObject): boolean {
    const k = key(obj.metadata.namespace, obj.metadata.name!);
    const current = this.table(table).get(k);
    if (!current) throw new Error(`store: ${table} ${k} does not exist`);
    // Compared as stored (JSON drops undefined fields), so an absent and an undefined field are the same.
    const next = clone(obj);
    next.metadata.resourceVersion = current.metadata.resourceVersion;
    if (isDeepStrictEqual(next, current)) return false;
    next.metadata.resourceVersion = String(++this.revision);
    this.table(table).set(k, next);
    this.emit({ type: 'MODIFIED', table, object: next, revision: this.revision });
    return true;
  }

  remove(table: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const k = key(namespace, name);
    const current = this.table(table).get(k);
    if (!current) return undefined;
    this.table(table).delete(k);
    // etcd stamps the deletion with its own revision; watchers see the object at that version.
    const gone = clone(current);
    gone.metadata.resourceVersion = String(++this.revision);
    this.emit({ type: 'DELETED', table, object: gone, revision: this.revision });
    return clone(gone);
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
    if (!t) this.tables.set(name, (t = new Map<string, KubeObject>()));
    return t;
  }
}

// Objects are plain JSON; this is faster than structuredClone for them.
const clone = <T>(o: T): T => JSON.parse(JSON.stringify(o)) as T;

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function key(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
