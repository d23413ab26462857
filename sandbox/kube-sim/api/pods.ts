// Pods' graceful deletion (registry/core/pod/strategy.go); the eviction subresource is in eviction.ts.
import { rfc3339 } from '../clock.js';
import { isTerminal } from '../objects/pod.js';
import type { Pod } from '../types.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { checkPreconditions } from './delete.js';
import { mustGet } from './read.js';
import { parseDeleteOptions, type DeleteOptions } from './options.js';
import { resourceByKind } from './resources.js';

const PODS = resourceByKind('Pod');

export function deletePod(ctx: ApiContext, req: ApiRequest): ApiReply {
  const opts = parseDeleteOptions(req.query, req.body);
  const pod = mustGet(ctx, PODS, req.namespace, req.name!) as Pod;
  checkPreconditions(PODS, pod, opts);
  return { code: 200, body: { apiVersion: 'v1', kind: 'Pod', ...gracefulDelete(ctx, pod, opts) } };
}

/**
 * Sets deletionTimestamp and deletionGracePeriodSeconds; the kubelet controller removes the
 * pod once it has stopped. A pod on no node, or already finished, goes at once, and a second
 * delete can only shorten the grace period.
 */
export function gracefulDelete(
  ctx: ApiContext,
  original: Pod,
  opts: Pick<DeleteOptions, 'gracePeriodSeconds' | 'dryRun'>,
): Pod {
  // Callers may hand over the stored object itself: change a copy.
  const pod = JSON.parse(JSON.stringify(original)) as Pod;
  let grace = opts.gracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30;
  if (grace < 0) grace = 1;
  if (!pod.spec.nodeName || isTerminal(pod)) grace = 0;
  const current = pod.metadata.deletionGracePeriodSeconds;
  if (pod.metadata.deletionTimestamp && current !== undefined && grace >= current) return pod;
  if (grace === 0) {
    if (opts.dryRun) return pod;
    const gone = ctx.store.remove('pods', pod.metadata.namespace, pod.metadata.name!) as Pod;
    ctx.kick();
    return gone;
  }
  pod.metadata.deletionTimestamp = rfc3339(Date.now() + grace * 1000);
  pod.metadata.deletionGracePeriodSeconds = grace;
  if (opts.dryRun) return pod;
  const stored = ctx.store.update('pods', pod) as Pod;
  ctx.kick();
  return stored;
}
