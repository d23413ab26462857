// DELETE for everything but pods: preconditions, finalizers, and the answer each kind gives.
import { rfc3339 } from '../clock.js';
import type { KubeObject } from '../types.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { RETURNS_DELETED } from './kinds.js';
import { parseDeleteOptions, type DeleteOptions } from './options.js';
import { gr, mustGet, withType } from './read.js';
import { tableOf, type ResourceDef } from './resources.js';
import { conflict, type Status } from './status.js';

export function checkPreconditions(def: ResourceDef, old: KubeObject, opts: DeleteOptions): void {
  const p = opts.preconditions;
  const name = old.metadata.name!;
  if (p?.uid && p.uid !== old.metadata.uid) {
    throw conflict(
      gr(def),
      name,
      `Precondition failed: UID in precondition: ${p.uid}, UID in object meta: ${old.metadata.uid}`,
    );
  }
  if (p?.resourceVersion && p.resourceVersion !== old.metadata.resourceVersion) {
    throw conflict(
      gr(def),
      name,
      `Precondition failed: ResourceVersion in precondition: ${p.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`,
    );
  }
}

/** What a finished delete answers: the object for some kinds, a Success Status (without a code) for the others. */
export function deletedReply(def: ResourceDef, obj: KubeObject): ApiReply {
  if (RETURNS_DELETED.has(def.kind)) return { code: 200, body: withType(def, obj) };
  const details: Record<string, string> = { name: obj.metadata.name! };
  if (def.group) details.group = def.group;
  details.kind = def.resource;
  details.uid = obj.metadata.uid!;
  const status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } as unknown as Status;
  return { code: 200, body: status };
}

export function deleteObject(ctx: ApiContext, req: ApiRequest): ApiReply {
  const { def } = req;
  const opts = parseDeleteOptions(req.query, req.body);
  const old = mustGet(ctx, def, req.namespace, req.name!);
  checkPreconditions(def, old, opts);
  const table = tableOf(def);
  if ((old.metadata.finalizers ?? []).length) {
    if (!old.metadata.deletionTimestamp) {
      old.metadata.deletionTimestamp = rfc3339(Date.now());
      old.metadata.deletionGracePeriodSeconds = 0;
    }
    if (opts.dryRun) return { code: 200, body: withType(def, old) };
    const stored = ctx.store.update(table, old);
    ctx.kick();
    return { code: 200, body: withType(def, stored) };
  }
  if (opts.dryRun) return deletedReply(def, old);
  const gone = ctx.store.remove(table, old.metadata.namespace, old.metadata.name!)!;
  ctx.kick();
  return deletedReply(def, gone);
}
