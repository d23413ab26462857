// The read verbs: get, list (with selectors and paging), and the shared lookups.
import type { KubeObject } from '../types.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { fieldsMatch, parseFieldSelector } from './field-selector.js';
import { matches, parseLabelSelector } from './label-selector.js';
import { apiVersionOf, tableOf, type ResourceDef } from './resources.js';
import { notFound } from './status.js';

export const gr = (def: ResourceDef) => ({ group: def.group, resource: def.resource });

export function mustGet(ctx: ApiContext, def: ResourceDef, namespace: string | undefined, name: string): KubeObject {
  const o = ctx.store.get(tableOf(def), namespace, name);
  if (!o) throw notFound(gr(def), name);
  return o;
}

export function withType(def: ResourceDef, o: KubeObject): KubeObject {
  return { apiVersion: apiVersionOf(def), kind: def.kind, ...o };
}

export function getObject(ctx: ApiContext, req: ApiRequest): ApiReply {
  return { code: 200, body: withType(req.def, mustGet(ctx, req.def, req.namespace, req.name!)) };
}

/** A list's items carry no apiVersion and kind of their own (transcripts 13, 21). */
export function listItem(o: KubeObject): KubeObject {
  const { apiVersion: _v, kind: _k, ...rest } = o;
  return rest;
}

/** The objects a list or watch selects: namespace, labelSelector, fieldSelector. */
export function selectObjects(
  ctx: ApiContext,
  req: ApiRequest,
): { items: KubeObject[]; filter: (o: KubeObject) => boolean } {
  const labels = parseLabelSelector(req.query.get('labelSelector') ?? undefined);
  const fields = parseFieldSelector(
    req.query.get('fieldSelector') ?? undefined,
    req.def.fields,
    req.def.fieldsOnlyMeta,
  );
  const filter = (o: KubeObject) =>
    (req.namespace === undefined || o.metadata.namespace === req.namespace) &&
    matches(labels, o.metadata.labels) &&
    fieldsMatch(fields, req.def.fields, o);
  return { items: ctx.store.list(tableOf(req.def), req.namespace).filter(filter), filter };
}

export function listObjects(ctx: ApiContext, req: ApiRequest): ApiReply {
  const { items } = selectObjects(ctx, req);
  const metadata: Record<string, unknown> = { resourceVersion: ctx.store.resourceVersion };
  // `continue` tokens are offsets here; the API only promises they are opaque.
  const limit = Number(req.query.get('limit') ?? 0);
  const offset = Number(Buffer.from(req.query.get('continue') ?? '', 'base64url').toString() || 0);
  let page = items.slice(offset);
  if (limit > 0 && page.length > limit) {
    page = page.slice(0, limit);
    metadata.continue = Buffer.from(String(offset + limit)).toString('base64url');
    metadata.remainingItemCount = items.length - offset - limit;
  }
  return {
    code: 200,
    body: { kind: `${req.def.kind}List`, apiVersion: apiVersionOf(req.def), metadata, items: page.map(listItem) },
  };
}
