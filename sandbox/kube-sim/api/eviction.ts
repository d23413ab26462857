// The eviction subresource (pkg/registry/core/pod/storage/eviction.go): pods that are not
// running or already going are deleted without asking their budget (canIgnorePDB; transcript
// 19's pods are Pending); a covered pod that is not Ready goes when unhealthyPodEvictionPolicy
// is AlwaysAllow or the budget is healthy (IfHealthyBudget); anything else must find a
// disruption in checkAndDecrement, else 429 with the DisruptionBudget cause. Before the delete
// the pod gets its DisruptionTarget condition (addConditionAndDeletePod; transcript 27).
import { rfc3339 } from '../clock.js';
import { goPrint } from '../decode/go-print.js';
import { recordWrite } from '../managed/record.js';
import { isPodReady, withDisruptionTarget } from '../objects/pod.js';
import { pdbsForPod } from '../objects/pdb.js';
import { kindId } from '../openapi/index.js';
import type { Pod, PodDisruptionBudget } from '../types.js';
import { decodeRequestBody, fieldValidationOf } from './body.js';
import type { ApiContext, ApiReply, ApiRequest } from './context.js';
import { checkPreconditions } from './delete.js';
import { isDryRun, type DeleteOptions, type DeleteOptionsBody } from './options.js';
import { gracefulDelete } from './pods.js';
import { mustGet } from './read.js';
import { resourceByKind } from './resources.js';
import { badRequest, forbidden, statusBody, tooManyRequests } from './status.js';
import { parseObject } from './write.js';

const PODS = resourceByKind('Pod');
const EVICTION_VERSIONS = ['policy/v1', 'policy/v1beta1'];
const VIOLATION = "Cannot evict pod as it would violate the pod's disruption budget.";

// canIgnorePDB: pods that are not running, or already going, are simply deleted.
function canIgnorePdb(pod: Pod): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed' || phase === 'Pending' || Boolean(pod.metadata.deletionTimestamp);
}

export function evictPod(ctx: ApiContext, req: ApiRequest): ApiReply {
  const raw = parseObject(req.body);
  if (raw.apiVersion && !(typeof raw.apiVersion === 'string' && EVICTION_VERSIONS.includes(raw.apiVersion))) {
    throw badRequest(
      `the API version in the data (${goPrint(raw.apiVersion)}) does not match the expected API version (policy/v1)`,
    );
  }
  if (raw.kind && raw.kind !== 'Eviction') throw badRequest(`not a Eviction object: ${goPrint(raw.kind)}`);
  const { obj: eviction, warnings } = decodeRequestBody(
    PODS,
    raw,
    fieldValidationOf(req.query, 'CreateOptions'),
    'Eviction',
    'policy/v1',
  );
  if (eviction.metadata?.name !== req.name) throw badRequest('name in URL does not match name in Eviction object');
  // Decoded as policy/v1 Eviction, so its deleteOptions have DeleteOptions' field types.
  const deleteOptions = (eviction.deleteOptions ?? {}) as DeleteOptionsBody;
  const dryRun = isDryRun(req.query) || (Array.isArray(deleteOptions.dryRun) && deleteOptions.dryRun.includes('All'));
  const opts: DeleteOptions = {
    gracePeriodSeconds: deleteOptions.gracePeriodSeconds,
    dryRun,
    preconditions: deleteOptions.preconditions,
  };
  const success: ApiReply = { code: 201, body: statusBody(201, undefined), warnings };

  const pod = mustGet(ctx, PODS, req.namespace, req.name!) as Pod;
  checkPreconditions(PODS, pod, opts);
  if (canIgnorePdb(pod)) return (conditionAndDelete(ctx, pod, opts), success);
  const pdbs = pdbsForPod(
    ctx.store.list('poddisruptionbudgets.policy', pod.metadata.namespace) as PodDisruptionBudget[],
    pod,
  );
  if (pdbs.length > 1) {
    return {
      code: 500,
      body: statusBody(
        500,
        'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      ),
    };
  }
  if (pdbs.length === 1 && !unhealthyMayGo(pdbs[0], pod)) checkAndDecrement(ctx, pdbs[0], pod, dryRun);
  conditionAndDelete(ctx, pod, opts);
  return success;
}

/** A pod that is not Ready costs its budget nothing: AlwaysAllow, or IfHealthyBudget (the default) while the budget is met. */
function unhealthyMayGo(pdb: PodDisruptionBudget, pod: Pod): boolean {
  if (isPodReady(pod)) return false;
  if (pdb.spec?.unhealthyPodEvictionPolicy === 'AlwaysAllow') return true;
  const st = pdb.status ?? {};
  return (st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0;
}

function conditionAndDelete(ctx: ApiContext, pod: Pod, opts: DeleteOptions): void {
  if (opts.dryRun) return void gracefulDelete(ctx, pod, opts);
  // A store update of the server's own, which no field manager records.
  const marked = ctx.store.update(
    'pods',
    withDisruptionTarget(pod, 'EvictionByEvictionAPI', 'Eviction API: evicting', rfc3339(Date.now())),
  ) as Pod;
  gracefulDelete(ctx, marked, opts);
}

function checkAndDecrement(ctx: ApiContext, pdb: PodDisruptionBudget, pod: Pod, dryRun: boolean): void {
  const st = pdb.status ?? {};
  const name = pdb.metadata.name!;
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) {
    throw tooManyRequests(
      VIOLATION,
      [
        {
          reason: 'DisruptionBudget',
          message: `The disruption budget ${name} is still being processed by the server.`,
        },
      ],
      10,
    );
  }
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0)
    throw forbidden({ group: 'policy', resource: 'poddisruptionbudget' }, name, 'pdb disruptions allowed is negative');
  if (allowed === 0) {
    throw tooManyRequests(VIOLATION, [
      {
        reason: 'DisruptionBudget',
        message: `The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`,
      },
    ]);
  }
  if (dryRun) return;
  const next = {
    ...pdb,
    status: {
      ...st,
      disruptionsAllowed: allowed - 1,
      disruptedPods: { ...st.disruptedPods, [pod.metadata.name!]: rfc3339(Date.now()) },
    },
  };
  // The eviction handler's own PDB client writes status as kube-apiserver.
  recordWrite(
    { t: 'ref', ref: kindId('policy/v1', 'PodDisruptionBudget')! },
    pdb,
    next,
    { manager: 'kube-apiserver', operation: 'Update', apiVersion: 'policy/v1', subresource: 'status' },
    true,
  );
  ctx.store.update('poddisruptionbudgets.policy', next);
  ctx.kick();
}
