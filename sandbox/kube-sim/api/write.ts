// The write verbs: create, update (PUT), patch, with the API server's order of checks
// and its answers.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { rfc3339 } from '../clock.js';
import { applyPatch, APPLY_PATCH, patchTypeOf } from '../patch/index.js';
import { StrategicPatchError } from '../patch/strategic.js';
import { randomSuffix, validateMeta } from '../objects/meta.js';
import type { KubeObject } from '../types.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { invalidObject, required } from './field-errors.js';
import { KIND_HOOKS, normalizeMeta } from './kinds.js';
import { isDryRun, parseJsonBody } from './options.js';
import { gr, mustGet } from './read.js';
import { apiVersionOf, tableOf, type ResourceDef } from './resources.js';
import { alreadyExists, badRequest, conflict, notFound, OPTIMISTIC_LOCK_MESSAGE } from './status.js';

function validateOrThrow(def: ResourceDef, obj: KubeObject, old?: KubeObject): void {
  const errs = [...(old ? [] : validateMeta(obj)), ...(KIND_HOOKS[def.kind]?.validate?.(obj, old) ?? [])];
  if (errs.length) throw invalidObject(def.kind, def.group, obj.metadata.name ?? '', errs);
}

function parseObject(body: string): KubeObject {
  const o = parseJsonBody(body);
  if (typeof o !== 'object' || o === null || Array.isArray(o)) throw badRequest('the body of the request was not a JSON object');
  const obj = o as KubeObject;
  obj.metadata ??= {};
  return obj;
}

export function createObject(ctx: ApiContext, req: ApiRequest): ApiReply {
  const { def } = req;
  const dryRun = isDryRun(req.query);
  const obj = parseObject(req.body);
  const meta = obj.metadata;
  if (def.namespaced) {
    if (meta.namespace && meta.namespace !== req.namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    meta.namespace = req.namespace;
  } else delete meta.namespace;
  if (!meta.name && meta.generateName) meta.name = meta.generateName + randomSuffix();
  for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation', 'managedFields']) {
    delete meta[k];
  }
  obj.apiVersion = apiVersionOf(def);
  obj.kind = def.kind;
  meta.uid = randomUUID();
  meta.creationTimestamp = rfc3339(Date.now());
  KIND_HOOKS[def.kind]?.prepareCreate?.(obj);
  if (def.generation) meta.generation = 1;
  validateOrThrow(def, obj);
  normalizeMeta(obj);
  KIND_HOOKS[def.kind]?.normalize?.(obj);
  if (def.namespaced && !ctx.store.get('namespaces', undefined, req.namespace!)) {
    throw notFound({ group: '', resource: 'namespaces' }, req.namespace!);
  }
  if (ctx.store.get(tableOf(def), meta.namespace, meta.name!)) throw alreadyExists(gr(def), meta.name!);
  if (dryRun) return { code: 201, body: obj };
  const stored = ctx.store.create(tableOf(def), obj);
  ctx.kick();
  return { code: 201, body: stored };
}

export function updateObject(ctx: ApiContext, req: ApiRequest): ApiReply {
  const dryRun = isDryRun(req.query, 'UpdateOptions');
  const obj = parseObject(req.body);
  if (obj.metadata.name !== req.name) {
    throw badRequest(`the name of the object (${obj.metadata.name ?? ''}) does not match the name on the URL (${req.name})`);
  }
  const old = mustGet(ctx, req.def, req.namespace, req.name!);
  return { code: 200, body: commitUpdate(ctx, req, old, obj, dryRun) };
}

export function patchObject(ctx: ApiContext, req: ApiRequest): ApiReply {
  // The content type is checked before anything else, as in the real handler.
  const type = patchTypeOf(req.contentType);
  const dryRun = isDryRun(req.query, 'PatchOptions');
  if (type === APPLY_PATCH && !req.query.get('fieldManager')) {
    throw invalidObject('PatchOptions', 'meta.k8s.io', '', [required('fieldManager', 'is required for apply patch')]);
  }
  const old = mustGet(ctx, req.def, req.namespace, req.name!);
  let patched: KubeObject;
  try {
    patched = applyPatch(old, type, req.body, req.def.patchMeta);
  } catch (e) {
    if (e instanceof StrategicPatchError) throw badRequest(e.message);
    throw e;
  }
  patched.metadata ??= {};
  if (patched.metadata.name !== old.metadata.name) {
    throw badRequest(`the name of the object (${String(patched.metadata.name ?? '')}) does not match the name on the URL (${req.name})`);
  }
  return { code: 200, body: commitUpdate(ctx, req, old, patched, dryRun) };
}

/** The shared tail of PUT and PATCH: preconditions, system fields, status rules, validation, write. */
export function commitUpdate(ctx: ApiContext, req: ApiRequest, old: KubeObject, next: KubeObject, dryRun: boolean): KubeObject {
  const { def } = req;
  const name = old.metadata.name!;
  const rv = next.metadata.resourceVersion;
  if (rv && rv !== old.metadata.resourceVersion) throw conflict(gr(def), name, OPTIMISTIC_LOCK_MESSAGE);
  if (next.metadata.uid && next.metadata.uid !== old.metadata.uid) {
    throw conflict(gr(def), name, `Precondition failed: UID in precondition: ${next.metadata.uid}, UID in object meta: ${old.metadata.uid}`);
  }
  for (const k of ['uid', 'namespace', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
    if (old.metadata[k] === undefined) delete next.metadata[k];
    else (next.metadata as Record<string, unknown>)[k] = old.metadata[k];
  }
  next.apiVersion = apiVersionOf(def);
  next.kind = def.kind;
  if (req.subresource === 'status') {
    next = { ...old, metadata: { ...old.metadata, labels: next.metadata.labels, annotations: next.metadata.annotations }, status: next.status };
  } else if (def.subresources.status) {
    // With a status subresource, writes to the main resource cannot change status.
    if (old.status === undefined) delete next.status;
    else next.status = old.status;
  }
  if (def.generation && !isDeepStrictEqual(old.spec, next.spec)) next.metadata.generation = (old.metadata.generation ?? 0) + 1;
  validateOrThrow(def, next, old);
  normalizeMeta(next);
  KIND_HOOKS[def.kind]?.normalize?.(next);
  next.metadata.resourceVersion = old.metadata.resourceVersion;
  if (dryRun) return next;
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
