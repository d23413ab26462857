// Per-kind behaviour of a write, in the API server's order: Go defaulting while decoding,
// then (after managedFields are recorded) the admission plugins, the strategy's
// PrepareForCreate, validation.
import { defaultPodSpec, initialPodStatus, validatePod } from '../objects/pod.js';
import { admitPod } from '../objects/pod-admission.js';
import { admitNode, validateNode } from '../objects/node.js';
import { defaultWorkload, emptyPdbStatus, validateLease, validatePdb, validateWorkload } from '../objects/workloads.js';
import type { KubeObject, Node, PersistentVolumeClaim, Pod, PodDisruptionBudget, Workload } from '../types.js';
import type { ApiContext } from './context.js';
import type { FieldError } from './field-errors.js';

export type KindHooks = {
  /** SetDefaults_*: on every decoded body (create, update, patch), before managedFields, so the writer owns them. */
  defaults?(obj: KubeObject): void;
  /** Mutating admission on create: what it adds belongs to no manager. */
  admit?(obj: KubeObject, ctx: ApiContext): void;
  /** PrepareForCreate: the status a new object starts with. */
  prepareCreate?(obj: KubeObject): void;
  validate?(obj: KubeObject, old?: KubeObject): FieldError[];
  /** Drops what Go's omitempty would not serialise, so that writing it back is no change. */
  normalize?(obj: KubeObject): void;
};

/** Empty metadata maps and lists are omitted in the API's JSON. */
export function normalizeMeta(obj: KubeObject): void {
  const m = obj.metadata as Record<string, unknown>;
  for (const k of ['labels', 'annotations']) if (m[k] && Object.keys(m[k]).length === 0) delete m[k];
  for (const k of ['finalizers', 'ownerReferences'])
    if (Array.isArray(m[k]) && (m[k] as unknown[]).length === 0) delete m[k];
}

const workload: KindHooks = {
  defaults: (o) => defaultWorkload(o as Workload),
  prepareCreate: (o) => void (o.status = {}),
  validate: (o, old) => validateWorkload(o as Workload, old as Workload | undefined),
};

export const KIND_HOOKS: Record<string, KindHooks> = {
  Pod: {
    defaults: (o) => defaultPodSpec(((o as Pod).spec ??= { containers: [] })),
    admit: (o, ctx) => admitPod(o as Pod, ctx.admission ?? {}),
    prepareCreate: (o) => initialPodStatus(o as Pod),
    validate: (o, old) => validatePod(o as Pod, old as Pod | undefined),
  },
  Node: {
    admit: (o) => admitNode(o as Node),
    validate: (o, old) => validateNode(o as Node, old as Node | undefined),
    normalize(o) {
      const spec = (o as Partial<Node>).spec;
      if (spec?.unschedulable === false) delete spec.unschedulable;
      if (spec && Array.isArray(spec.taints) && spec.taints.length === 0) delete spec.taints;
    },
  },
  Namespace: {
    prepareCreate(o) {
      o.metadata.labels = { ...o.metadata.labels, 'kubernetes.io/metadata.name': o.metadata.name! };
      o.spec = { finalizers: ['kubernetes'] };
      o.status = { phase: 'Active' };
    },
  },
  PersistentVolumeClaim: {
    defaults: (o) => void (((o as PersistentVolumeClaim).spec ??= {}).volumeMode ??= 'Filesystem'),
    prepareCreate(o) {
      // Provisioning is instant here: every claim is bound to a volume of the size it asked for.
      const spec = ((o as PersistentVolumeClaim).spec ??= {});
      const storage = spec.resources?.requests?.storage ?? '1Gi';
      spec.volumeName ??= `pvc-${o.metadata.uid}`;
      o.status = { phase: 'Bound', accessModes: spec.accessModes ?? ['ReadWriteOnce'], capacity: { storage } };
    },
  },
  Deployment: workload,
  ReplicaSet: workload,
  DaemonSet: workload,
  PodDisruptionBudget: {
    prepareCreate: (o) => emptyPdbStatus(o as PodDisruptionBudget),
    validate: (o) => validatePdb(o as PodDisruptionBudget),
  },
  Lease: { validate: (o) => validateLease(o) },
};

/** Kinds whose DELETE answers with the deleted object rather than a Status (ReturnDeletedObject). */
export const RETURNS_DELETED = new Set(['Pod', 'Namespace', 'PersistentVolumeClaim']);
