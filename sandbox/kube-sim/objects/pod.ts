// Pod defaults (defaulting plus the DefaultTolerationSeconds admission plugin) and the
// validation the API applies on create and update.
import { isDeepStrictEqual } from 'node:util';
import { forbiddenField, invalid, required, type FieldError } from '../api/field-errors.js';
import type { Condition, Pod } from '../types.js';
import { admitPod, type PodAdmission } from './pod-admission.js';

export const TERMINATE_ANNOTATION = 'kube-sim.herdbook.dev/terminate-seconds';
export const START_ANNOTATION = 'kube-sim.herdbook.dev/start-seconds';

/** SetDefaults_PodSpec and SetDefaults_Container: what decoding a pod (or a template) fills in. */
export function defaultPodSpec(spec: Pod['spec']): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.securityContext ??= {};
  spec.enableServiceLinks ??= true;
  for (const c of spec.containers ?? []) {
    c.imagePullPolicy ??= /:latest$|^[^:]*$/.test(String(c.image ?? '')) ? 'Always' : 'IfNotPresent';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
  }
}

/** The status a pod starts with (the strategy's PrepareForCreate): Pending, and its QoS class. */
export function initialPodStatus(pod: Pod): void {
  const resources = (pod.spec.containers ?? []).map(
    (c) => (c.resources ?? {}) as { requests?: object; limits?: object },
  );
  const none = resources.every((r) => !Object.keys(r.requests ?? {}).length && !Object.keys(r.limits ?? {}).length);
  const guaranteed =
    !none &&
    resources.every(
      (r) => Object.keys(r.limits ?? {}).length && JSON.stringify(r.limits) === JSON.stringify(r.requests ?? r.limits),
    );
  pod.status = { phase: 'Pending', qosClass: none ? 'BestEffort' : guaranteed ? 'Guaranteed' : 'Burstable' };
}

/** A pod as a controller creates it through the API: defaulted, admitted, Pending. */
export function defaultPod(pod: Pod, admission: PodAdmission = {}): void {
  pod.apiVersion = 'v1';
  pod.kind = 'Pod';
  pod.spec ??= { containers: [] };
  defaultPodSpec(pod.spec);
  admitPod(pod, admission);
  initialPodStatus(pod);
}

export function validatePod(pod: Pod, old?: Pod): FieldError[] {
  const errs: FieldError[] = [];
  const containers = pod.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) errs.push(required('spec.containers'));
  else {
    containers.forEach((c, i) => {
      if (!c.name) errs.push(required(`spec.containers[${i}].name`));
      if (!c.image && !old) errs.push(required(`spec.containers[${i}].image`));
    });
  }
  (pod.spec?.volumes ?? []).forEach((v, i) => {
    if (!v.name) errs.push(required(`spec.volumes[${i}].name`));
  });
  if (pod.spec?.terminationGracePeriodSeconds !== undefined && pod.spec.terminationGracePeriodSeconds < 0) {
    errs.push(
      invalid(
        'spec.terminationGracePeriodSeconds',
        pod.spec.terminationGracePeriodSeconds,
        'must be greater than or equal to 0',
      ),
    );
  }
  if (old && !specUpdateAllowed(old.spec, pod.spec)) {
    errs.push(
      forbiddenField(
        'spec',
        'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
      ),
    );
  }
  return errs;
}

// Everything but images, activeDeadlineSeconds and added tolerations is immutable.
function specUpdateAllowed(before: Pod['spec'], after: Pod['spec']): boolean {
  const strip = (s: Pod['spec']) => {
    const c = structuredClone(s) as Record<string, unknown>;
    delete c.activeDeadlineSeconds;
    delete c.tolerations;
    for (const list of ['containers', 'initContainers'])
      for (const x of (c[list] as { image?: string }[] | undefined) ?? []) delete x.image;
    return c;
  };
  if (!isDeepStrictEqual(strip(before), strip(after))) return false;
  const kept = before.tolerations ?? [];
  return kept.every((t) => (after.tolerations ?? []).some((u) => isDeepStrictEqual(t, u)));
}

export function podCondition(pod: Pod, type: string): Condition | undefined {
  return pod.status?.conditions?.find((c) => c.type === type);
}

/** podutil.IsPodReady: the Ready condition is True. */
export function isPodReady(pod: Pod): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

export function isTerminal(pod: Pod): boolean {
  return pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed';
}

export function setCondition(conditions: Condition[], next: Condition, now: string): Condition[] {
  const old = conditions.find((c) => c.type === next.type);
  const merged: Condition = {
    ...old,
    ...next,
    lastTransitionTime: old && old.status === next.status ? old.lastTransitionTime : now,
  };
  return old ? conditions.map((c) => (c === old ? merged : c)) : [...conditions, merged];
}

/**
 * podutil.UpdatePodCondition for DisruptionTarget: the condition is replaced whole (its
 * lastProbeTime back to null), keeping lastTransitionTime while the status stays True. The
 * eviction API and the taint manager set it before they delete (transcripts 21, 27).
 */
export function withDisruptionTarget(pod: Pod, reason: string, message: string, now: string): Pod {
  const conditions = [...(pod.status?.conditions ?? [])];
  const at = conditions.findIndex((c) => c.type === 'DisruptionTarget');
  const old = at >= 0 ? conditions[at] : undefined;
  const next: Condition = {
    type: 'DisruptionTarget',
    status: 'True',
    lastProbeTime: null,
    lastTransitionTime: old?.status === 'True' ? old.lastTransitionTime : now,
    reason,
    message,
  };
  if (at >= 0) conditions[at] = next;
  else conditions.push(next);
  return { ...pod, status: { ...pod.status, conditions } };
}
