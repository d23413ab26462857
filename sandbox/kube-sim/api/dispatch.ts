// One resource request to the handler of its verb.
import type { KubeObject, Pod } from '../types.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { deletedReply, deleteObject } from './delete.js';
import { getObject, listItem, listObjects, selectObjects } from './read.js';
import { createObject, patchObject, updateObject } from './write.js';
import { isDryRun } from './options.js';
import { evictPod } from './eviction.js';
import { deletePod, gracefulDelete } from './pods.js';
import { apiVersionOf, tableOf } from './resources.js';
import { methodNotAllowed } from './status.js';

export function dispatch(ctx: ApiContext, req: ApiRequest): ApiReply {
  const { def, verb } = req;
  if (req.subresource === 'eviction') return evictPod(ctx, req);
  switch (verb) {
    case 'get':
      return getObject(ctx, req);
    case 'list':
      return listObjects(ctx, req);
    case 'create':
      return createObject(ctx, req);
    case 'update':
      return updateObject(ctx, req);
    case 'patch':
      return patchObject(ctx, req);
    case 'delete':
      return def.kind === 'Pod' ? deletePod(ctx, req) : deleteObject(ctx, req);
    case 'deletecollection':
      return deleteCollection(ctx, req);
    case 'watch':
      throw methodNotAllowed();
  }
}

function deleteCollection(ctx: ApiContext, req: ApiRequest): ApiReply {
  const dryRun = isDryRun(req.query, 'DeleteOptions');
  const { items } = selectObjects(ctx, req);
  const deleted = items.map((o) => {
    if (req.def.kind === 'Pod') return gracefulDelete(ctx, o as Pod, { dryRun });
    if (!dryRun) ctx.store.remove(tableOf(req.def), o.metadata.namespace, o.metadata.name!);
    return listItem(deletedReply(req.def, o).body as KubeObject);
  });
  if (!dryRun) ctx.kick();
  return {
    code: 200,
    body: {
      kind: `${req.def.kind}List`,
      apiVersion: apiVersionOf(req.def),
      metadata: { resourceVersion: ctx.store.resourceVersion },
      items: deleted,
    },
  };
}
