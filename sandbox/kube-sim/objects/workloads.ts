// Deployments, ReplicaSets, DaemonSets, PodDisruptionBudgets and Leases: defaults and
// the validation messages of the apps, policy and coordination groups.
import { isDeepStrictEqual } from 'node:util';
import { invalid, required, type FieldError } from '../api/field-errors.js';
import { fromLabelSelector, matches } from '../api/label-selector.js';
import type { KubeObject, PodDisruptionBudget, Workload } from '../types.js';
import { goMap } from './meta.js';
import { defaultPodSpec, validatePod } from './pod.js';

/** SetDefaults_Deployment, _ReplicaSet, _DaemonSet (with the template's pod spec defaults). */
export function defaultWorkload(w: Workload): void {
  const spec = w.spec;
  if (w.kind !== 'DaemonSet') spec.replicas ??= 1;
  spec.revisionHistoryLimit ??= 10;
  if (w.kind === 'Deployment') {
    spec.progressDeadlineSeconds ??= 600;
    spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
  }
  if (w.kind === 'DaemonSet')
    spec.updateStrategy ??= { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } };
  if (spec.template?.spec) defaultPodSpec(spec.template.spec);
}

export function validateWorkload(w: Workload, old?: Workload): FieldError[] {
  const errs: FieldError[] = [];
  const spec = w.spec ?? ({} as Workload['spec']);
  const selector = fromLabelSelector(spec.selector);
  if (!spec.selector || selector.length === 0) errs.push(required('spec.selector'));
  else if (!matches(selector, spec.template?.metadata?.labels)) {
    errs.push(
      invalid(
        'spec.template.metadata.labels',
        goMap(spec.template?.metadata?.labels),
        '`selector` does not match template `labels`',
      ),
    );
  }
  if (spec.replicas !== undefined && spec.replicas < 0)
    errs.push(invalid('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  if (!spec.template?.spec) errs.push(required('spec.template.spec.containers'));
  else {
    for (const e of validatePod({ metadata: {}, spec: spec.template.spec, status: {} })) {
      errs.push({ ...e, field: `spec.template.${e.field}` });
    }
  }
  if (old && !isDeepStrictEqual(old.spec.selector, spec.selector)) {
    errs.push(invalid('spec.selector', JSON.stringify(spec.selector), 'field is immutable'));
  }
  return errs;
}

const PERCENT = /^[0-9]+%$/;

function validateIntOrPercent(field: string, v: unknown, errs: FieldError[]): void {
  if (v === undefined) return;
  if (typeof v === 'number') {
    if (v < 0) errs.push(invalid(field, v, 'must be greater than or equal to 0'));
  } else if (typeof v !== 'string' || !PERCENT.test(v)) {
    errs.push(
      invalid(
        field,
        v,
        "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')",
      ),
    );
  } else if (parseInt(v, 10) > 100) {
    errs.push(invalid(field, v, 'must be no greater than 100%'));
  }
}

export function validatePdb(pdb: PodDisruptionBudget): FieldError[] {
  const errs: FieldError[] = [];
  const spec = pdb.spec ?? {};
  if (spec.minAvailable !== undefined && spec.maxUnavailable !== undefined) {
    errs.push(invalid('spec', 'minAvailable and maxUnavailable', 'minAvailable and maxUnavailable cannot be both set'));
  }
  validateIntOrPercent('spec.minAvailable', spec.minAvailable, errs);
  validateIntOrPercent('spec.maxUnavailable', spec.maxUnavailable, errs);
  return errs;
}

export function emptyPdbStatus(pdb: PodDisruptionBudget): void {
  pdb.status = { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 };
}

export function validateLease(lease: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const spec = (lease.spec ?? {}) as Record<string, unknown>;
  const duration = spec.leaseDurationSeconds;
  if (typeof duration === 'number' && duration <= 0)
    errs.push(invalid('spec.leaseDurationSeconds', duration, 'must be greater than 0'));
  const transitions = spec.leaseTransitions;
  if (typeof transitions === 'number' && transitions < 0)
    errs.push(invalid('spec.leaseTransitions', transitions, 'must be greater than or equal to 0'));
  return errs;
}
