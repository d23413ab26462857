// Pods' own verbs: graceful deletion (registry/core/pod/strategy.go) and the eviction
// subresource (registry/core/pod/storage/eviction.go), with their messages.
import { rfc3339 } from '../clock.js';
import { isPodReady, isTerminal } from '../objects/pod.js';
import { pdbsForPod } from '../objects/pdb.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { checkPreconditions } from './delete.js';
import { mustGet } from './read.js';
import { isDryRun, parseDeleteOptions, parseJsonBody, type DeleteOptions } from './options.js';
import { resourceByKind } from './resources.js';
import { badRequest, forbidden, statusBody, tooManyRequests } from './status.js';

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
export function gracefulDelete(ctx: ApiContext, original: Pod, opts: Pick<DeleteOptions, 'gracePeriodSeconds' | 'dryRun'>): Pod {
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

const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

// canIgnorePDB: pods that are not running, or already going, are simply deleted.
function canIgnorePdb(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

export function evictPod(ctx: ApiContext, req: ApiRequest): ApiReply {
  const eviction = parseJsonBody(req.body) as Record<string, any> | undefined;
  if (!eviction || typeof eviction !== 'object') throw badRequest('not a Eviction object: <nil>');
  if (eviction.apiVersion && !EVICTION_VERSIONS.includes(eviction.apiVersion)) {
    throw badRequest(`the API version in the data (${eviction.apiVersion}) does not match the expected API version (policy/v1)`);
  }
  if (eviction.kind && eviction.kind !== 'Eviction') throw badRequest(`not a Eviction object: ${eviction.kind}`);
  if (eviction.metadata?.name !== req.name) throw badRequest('name in URL does not match name in Eviction object');
  const deleteOptions = (eviction.deleteOptions ?? {}) as Record<string, any>;
  const dryRun = isDryRun(req.query) || (Array.isArray(deleteOptions.dryRun) && deleteOptions.dryRun.includes('All'));
  const opts: DeleteOptions = { gracePeriodSeconds: deleteOptions.gracePeriodSeconds, dryRun, preconditions: deleteOptions.preconditions };
  const success: ApiReply = { code: 201, body: statusBody(201, undefined) };

  const pod = mustGet(ctx, PODS, req.namespace, req.name!) as Pod;
  checkPreconditions(PODS, pod, opts);
  if (canIgnorePdb(pod)) {
    gracefulDelete(ctx, pod, opts);
    return success;
  }
  const pdbs = pdbsForPod(ctx.store.list('poddisruptionbudgets.policy', pod.metadata.namespace) as PodDisruptionBudget[], pod);
  if (pdbs.length > 1) {
    return { code: 500, body: statusBody(500, 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.') };
  }
  if (pdbs.length === 1) checkAndDecrement(ctx, pdbs[0], pod, dryRun);
  gracefulDelete(ctx, pod, opts);
  return success;
}

function checkAndDecrement(ctx: ApiContext, pdb: PodDisruptionBudget, pod: Pod, dryRun: boolean): void {
  const st = pdb.status ?? {};
  const name = pdb.metadata.name!;
  const desired = st.desiredHealthy ?? 0;
  const healthy = st.currentHealthy ?? 0;
  // An unready pod does not count as healthy: evicting it costs the budget nothing.
  if (!isPodReady(pod) && healthy >= desired && desired > 0) return;
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(VIOLATION, [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} is still being processed by the server.` }], 10);
  }
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0) throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, name, 'pdb disruptions allowed is negative');
  if (allowed === 0) {
    throw tooManyRequests(VIOLATION, [{ reason: 'DisruptionBudget', message: `The disruption budget ${name} needs ${desired} healthy pods and has ${healthy} currently` }]);
  }
  if (dryRun) return;
  const status = { ...st, disruptionsAllowed: allowed - 1, disruptedPods: { ...st.disruptedPods, [pod.metadata.name!]: rfc3339(Date.now()) } };
  ctx.store.update('poddisruptionbudgets.policy', { ...pdb, status });
  ctx.kick();
}
