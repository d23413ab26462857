// metadata.managedFields as kube-apiserver's field manager keeps them (apiserver's
// fieldmanager: managedFieldsUpdater, stripMeta, resetFields; structured-merge-diff's
// Updater): the writer owns what its write added or changed, other managers lose those
// fields, removed fields leave everyone, and an entry's time moves only when it gained fields.
// Transcripts 03, 04, 06, 11, 16 and 20 show the shapes.
import { rfc3339 } from '../clock.js';
import type { Schema } from '../openapi/types.js';
import type { KubeObject } from '../types.js';
import { compare, fieldSet, SEP } from './compare.js';
import { decodeFields, encodeFields } from './fields-v1.js';

export type Writer = {
  /** fieldManager, or the User-Agent up to its first "/" (transcripts: "Python-urllib"). */
  manager: string;
  operation: 'Update' | 'Apply';
  /** The group version the request used: "v1", "policy/v1". */
  apiVersion: string;
  subresource?: string;
};

export type ManagedFieldsEntry = {
  manager: string;
  operation: string;
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: unknown;
  subresource?: string;
};

// Fields no manager owns (stripmeta.go).
const STRIPPED = new Set([
  'f:apiVersion',
  'f:kind',
  'f:metadata',
  ...[
    'name',
    'namespace',
    'creationTimestamp',
    'selfLink',
    'uid',
    'clusterName',
    'generation',
    'managedFields',
    'resourceVersion',
  ].map((f) => `f:metadata${SEP}f:${f}`),
]);

/** A main-resource write cannot own status, a status write cannot own spec (the strategies' reset fields). */
function owned(path: string, writer: Writer, hasStatus: boolean): boolean {
  if (STRIPPED.has(path)) return false;
  const top = path.split(SEP)[0];
  if (writer.subresource === 'status') return top !== 'f:spec';
  return !(hasStatus && top === 'f:status');
}

const keyOf = (e: Pick<ManagedFieldsEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>) =>
  JSON.stringify([e.manager, e.operation, e.apiVersion, e.subresource ?? '']);

// sortEncodedManagedFields: operation, then time (seconds), manager, apiVersion, subresource.
function sortEntries(list: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return list.sort(
    (a, b) =>
      cmp(a.operation, b.operation) ||
      cmp(a.time, b.time) ||
      cmp(a.manager, b.manager) ||
      cmp(a.apiVersion, b.apiVersion) ||
      cmp(a.subresource ?? '', b.subresource ?? ''),
  );
}

/**
 * Sets next.metadata.managedFields for a write of `next` over `old` (for a create, the kind's
 * zero object). The entries start from those the request carried, else the stored ones.
 */
export function recordWrite(
  schema: Schema,
  old: KubeObject,
  next: KubeObject,
  writer: Writer,
  hasStatus: boolean,
  applied?: unknown,
): void {
  const start = (next.metadata.managedFields ?? old.metadata.managedFields ?? []) as ManagedFieldsEntry[];
  const sets = new Map<string, { entry: ManagedFieldsEntry; set: Set<string> }>();
  for (const e of start) sets.set(keyOf(e), { entry: e, set: decodeFields(e.fieldsV1) });
  const keep = (paths: Iterable<string>) => new Set([...paths].filter((p) => owned(p, writer, hasStatus)));
  const c = compare(old, next, schema);
  const removed = keep(c.removed);
  const taken = keep(writer.operation === 'Apply' ? fieldSet(applied, schema) : [...c.added, ...c.modified]);
  const key = keyOf(writer);
  for (const [k, v] of sets) {
    if (k === key) continue;
    for (const p of [...taken, ...removed]) v.set.delete(p);
  }
  const mine = sets.get(key);
  const own =
    writer.operation === 'Apply' ? new Set<string>() : new Set([...(mine?.set ?? [])].filter((p) => !removed.has(p)));
  for (const p of taken) own.add(p);
  const time = taken.size > 0 || !mine ? rfc3339(Date.now()) : mine.entry.time;
  const entry: ManagedFieldsEntry = {
    manager: writer.manager,
    operation: writer.operation,
    apiVersion: writer.apiVersion,
    time,
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  };
  if (writer.subresource) entry.subresource = writer.subresource;
  sets.set(key, { entry, set: own });
  const entries: ManagedFieldsEntry[] = [];
  for (const { entry, set } of sets.values()) {
    if (set.size === 0) continue;
    entries.push({ ...entry, fieldsV1: encodeFields(set) });
  }
  if (entries.length) next.metadata.managedFields = sortEntries(entries);
  else delete next.metadata.managedFields;
}
