// What every write shares: who the field manager is, recording managedFields, validation,
// and the tail of PUT and PATCH (preconditions, system fields, status rules, storage).
import { isDeepStrictEqual } from 'node:util';
import { zeroObject } from '../decode/zero.js';
import { recordWrite, type Writer } from '../managed/record.js';
import { validateMeta } from '../objects/meta.js';
import type { KubeObject } from '../types.js';
import { defById, kindId } from '../openapi/index.js';
import type { Schema } from '../openapi/types.js';
import type { ApiContext, ApiRequest } from './context.js';
import { invalidObject, required, type FieldError } from './field-errors.js';
import { KIND_HOOKS, normalizeMeta } from './kinds.js';
import { gr } from './read.js';
import { apiVersionOf, tableOf, type ResourceDef } from './resources.js';
import { conflict, OPTIMISTIC_LOCK_MESSAGE } from './status.js';

/** prefixFromUserAgent (handlers/create.go): up to the first "/", printable, at most 128 bytes. */
export function managerFromUserAgent(userAgent: string): string {
  return [...userAgent.split('/')[0]]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .slice(0, 128);
}

export function writerOf(req: ApiRequest, operation: Writer['operation'] = 'Update'): Writer {
  const manager = req.query.get('fieldManager') || managerFromUserAgent(req.userAgent ?? '');
  const w: Writer = { manager, operation, apiVersion: apiVersionOf(req.def) };
  if (req.subresource === 'status') w.subresource = 'status';
  return w;
}

/** The kind's schema as a reference, for the field manager's walk. */
function kindSchema(def: ResourceDef): Schema {
  const ref = kindId(apiVersionOf(def), def.kind);
  if (!ref) throw new Error(`kube-sim: no OpenAPI schema for ${def.kind}`);
  return { t: 'ref', ref };
}

/** On create the field manager compares with the kind's zero value (scope.Creater.New). */
export function recordCreate(req: ApiRequest, obj: KubeObject): void {
  const schema = kindSchema(req.def);
  const zero = zeroObject(defById((schema as { ref: string }).ref)) as KubeObject;
  recordWrite(schema, zero, obj, writerOf(req), Boolean(req.def.subresources.status));
}

export function validateOrThrow(
  def: ResourceDef,
  obj: KubeObject,
  old: KubeObject | undefined,
  missing: string[] = [],
): void {
  const own = KIND_HOOKS[def.kind]?.validate?.(obj, old) ?? [];
  // Required fields the schema names and the kind's validation does not already report.
  const absent: FieldError[] = missing.filter((f) => !own.some((e) => e.field === f)).map((f) => required(f));
  const errs = [...(old ? [] : validateMeta(obj)), ...absent, ...own];
  if (errs.length) throw invalidObject(def.kind, def.group, obj.metadata.name ?? '', errs);
}

export type CommitOptions = { dryRun: boolean; missing?: string[]; applied?: unknown };

/** The shared tail of PUT and PATCH: preconditions, system fields, status rules, managedFields, validation, write. */
export function commitUpdate(
  ctx: ApiContext,
  req: ApiRequest,
  old: KubeObject,
  next: KubeObject,
  opts: CommitOptions,
): KubeObject {
  const { def } = req;
  const name = old.metadata.name!;
  const rv = next.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) throw conflict(gr(def), name, OPTIMISTIC_LOCK_MESSAGE);
  if (next.metadata.uid && next.metadata.uid !== old.metadata.uid) {
    throw conflict(
      gr(def),
      name,
      `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  for (const k of [
    'uid',
    'namespace',
    'creationTimestamp',
    'deletionTimestamp',
    'deletionGracePeriodSeconds',
    'generation',
  ] as const) {
    if (old.metadata[k] === undefined) delete next.metadata[k];
    else (next.metadata as Record<string, unknown>)[k] = old.metadata[k];
  }
  next.apiVersion = apiVersionOf(def);
  next.kind = def.kind;
  if (req.subresource === 'status') {
    next = {
      ...old,
      metadata: { ...old.metadata, labels: next.metadata.labels, annotations: next.metadata.annotations },
      status: next.status,
    };
  } else if (def.subresources.status) {
    // With a status subresource, writes to the main resource cannot change status.
    // (Copied whole, never read: unknown is all it needs to be.)
    if (old.status === undefined) delete next.status;
    else next.status = old.status as unknown;
  }
  KIND_HOOKS[def.kind]?.defaults?.(next);
  if (def.generation && !isDeepStrictEqual(old.spec, next.spec))
    next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  // Compared as Go would encode them: what omitempty drops is no change (unschedulable: false).
  normalizeMeta(next);
  KIND_HOOKS[def.kind]?.normalize?.(next);
  recordWrite(
    kindSchema(def),
    old,
    next,
    writerOf(req, opts.applied !== undefined ? 'Apply' : 'Update'),
    Boolean(def.subresources.status),
    opts.applied,
  );
  validateOrThrow(def, next, old, opts.missing);
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (opts.dryRun) return next;
  const table = tableOf(def);
  // An object waiting for its finalizers goes once the last one is removed.
  if (old.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length && def.kind !== 'Pod') {
    ctx.store.update(table, next);
    const gone = ctx.store.remove(table, next.metadata.namespace, name)!;
    ctx.kick();
    return gone;
  }
  const stored = ctx.store.update(table, next);
  ctx.kick();
  return stored;
}
