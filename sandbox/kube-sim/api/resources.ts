// The resources the simulator serves, described once: discovery, routing, field
// selectors, strategic-merge keys and the 403/404 wording all read this table.
import type { PatchMeta } from '../patch/strategic.js';
import { asText } from '../../../engine/text.js';
import type { KubeObject, Node, Pod } from '../types.js';
import { metaFields, type FieldGetter } from './field-selector.js';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection';

export type ResourceDef = {
  group: string;
  version: string;
  /** Plural, as in URLs. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  verbs: Verb[];
  /** Subresource name → the kind it takes and the verbs it allows. */
  subresources: Record<string, { kind: string; group?: string; version?: string; verbs: Verb[] }>;
  fields: Record<string, FieldGetter>;
  /** True when the resource has only the generic metadata.* field selectors. */
  fieldsOnlyMeta: boolean;
  patchMeta: PatchMeta;
  /** metadata.generation counts spec changes. */
  generation: boolean;
};

const RW: Verb[] = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
const STATUS = { status: { kind: '', verbs: ['get', 'patch', 'update'] as Verb[] } };

const METADATA_META: PatchMeta = {
  'metadata.finalizers': { primitive: true },
  'metadata.ownerReferences': { mergeKey: 'uid' },
};

/** Strategic-merge keys of a PodSpec found at `prefix` (`spec` in a Pod, `spec.template.spec` in a workload). */
function podSpecMeta(prefix: string): PatchMeta {
  const meta: PatchMeta = {};
  for (const list of ['containers', 'initContainers', 'ephemeralContainers']) {
    meta[`${prefix}.${list}`] = { mergeKey: 'name' };
    meta[`${prefix}.${list}.env`] = { mergeKey: 'name' };
    meta[`${prefix}.${list}.ports`] = { mergeKey: 'containerPort' };
    meta[`${prefix}.${list}.volumeMounts`] = { mergeKey: 'mountPath' };
    meta[`${prefix}.${list}.volumeDevices`] = { mergeKey: 'devicePath' };
  }
  meta[`${prefix}.volumes`] = { mergeKey: 'name' };
  meta[`${prefix}.imagePullSecrets`] = { mergeKey: 'name' };
  meta[`${prefix}.hostAliases`] = { mergeKey: 'ip' };
  return meta;
}

const conditionsMeta = (path = 'status.conditions'): PatchMeta => ({ [path]: { mergeKey: 'type' } });

// A field of a pod, as a field selector compares it: text, '' when absent.
const pod = (o: KubeObject, f: (p: Partial<Pod>) => unknown) => asText(f(o) ?? '');

export const RESOURCES: ResourceDef[] = [
  {
    group: '',
    version: 'v1',
    resource: 'namespaces',
    singular: 'namespace',
    kind: 'Namespace',
    namespaced: false,
    shortNames: ['ns'],
    verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    subresources: STATUS,
    fields: { ...metaFields, 'status.phase': (o) => pod(o, (p) => p.status?.phase) },
    fieldsOnlyMeta: false,
    patchMeta: METADATA_META,
    generation: false,
  },
  {
    group: '',
    version: 'v1',
    resource: 'nodes',
    singular: 'node',
    kind: 'Node',
    namespaced: false,
    shortNames: ['no'],
    verbs: RW,
    subresources: STATUS,
    fields: {
      'metadata.name': metaFields['metadata.name'],
      'spec.unschedulable': (o) => String(Boolean((o as Partial<Node>).spec?.unschedulable)),
    },
    fieldsOnlyMeta: false,
    patchMeta: {
      ...METADATA_META,
      ...conditionsMeta(),
      'status.addresses': { mergeKey: 'type' },
      'spec.podCIDRs': { primitive: true },
    },
    generation: false,
  },
  {
    group: '',
    version: 'v1',
    resource: 'pods',
    singular: 'pod',
    kind: 'Pod',
    namespaced: true,
    shortNames: ['po'],
    verbs: RW,
    subresources: {
      status: { kind: 'Pod', verbs: ['get', 'patch', 'update'] },
      eviction: { kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    },
    fields: {
      ...metaFields,
      'spec.nodeName': (o) => pod(o, (p) => p.spec?.nodeName),
      'spec.restartPolicy': (o) => pod(o, (p) => p.spec?.restartPolicy),
      'spec.schedulerName': (o) => pod(o, (p) => p.spec?.schedulerName),
      'spec.serviceAccountName': (o) => pod(o, (p) => p.spec?.serviceAccountName),
      'spec.hostNetwork': (o) => String(Boolean((o as Partial<Pod>).spec?.hostNetwork)),
      'status.phase': (o) => pod(o, (p) => p.status?.phase),
      'status.podIP': (o) => pod(o, (p) => p.status?.podIP),
      'status.nominatedNodeName': (o) => pod(o, (p) => p.status?.nominatedNodeName),
    },
    fieldsOnlyMeta: false,
    patchMeta: {
      ...METADATA_META,
      ...podSpecMeta('spec'),
      ...conditionsMeta(),
      'status.containerStatuses': { mergeKey: 'name' },
      'status.podIPs': { mergeKey: 'ip' },
    },
    generation: false,
  },
  {
    group: '',
    version: 'v1',
    resource: 'persistentvolumeclaims',
    singular: 'persistentvolumeclaim',
    kind: 'PersistentVolumeClaim',
    namespaced: true,
    shortNames: ['pvc'],
    verbs: RW,
    subresources: STATUS,
    fields: metaFields,
    fieldsOnlyMeta: true,
    patchMeta: { ...METADATA_META, ...conditionsMeta() },
    generation: false,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'deployments',
    singular: 'deployment',
    kind: 'Deployment',
    namespaced: true,
    shortNames: ['deploy'],
    verbs: RW,
    subresources: STATUS,
    fields: metaFields,
    fieldsOnlyMeta: true,
    patchMeta: { ...METADATA_META, ...podSpecMeta('spec.template.spec'), ...conditionsMeta() },
    generation: true,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'replicasets',
    singular: 'replicaset',
    kind: 'ReplicaSet',
    namespaced: true,
    shortNames: ['rs'],
    verbs: RW,
    subresources: STATUS,
    fields: metaFields,
    fieldsOnlyMeta: true,
    patchMeta: { ...METADATA_META, ...podSpecMeta('spec.template.spec'), ...conditionsMeta() },
    generation: true,
  },
  {
    group: 'apps',
    version: 'v1',
    resource: 'daemonsets',
    singular: 'daemonset',
    kind: 'DaemonSet',
    namespaced: true,
    shortNames: ['ds'],
    verbs: RW,
    subresources: STATUS,
    fields: metaFields,
    fieldsOnlyMeta: true,
    patchMeta: { ...METADATA_META, ...podSpecMeta('spec.template.spec'), ...conditionsMeta() },
    generation: true,
  },
  {
    group: 'policy',
    version: 'v1',
    resource: 'poddisruptionbudgets',
    singular: 'poddisruptionbudget',
    kind: 'PodDisruptionBudget',
    namespaced: true,
    shortNames: ['pdb'],
    verbs: RW,
    subresources: STATUS,
    fields: metaFields,
    fieldsOnlyMeta: true,
    patchMeta: { ...METADATA_META, ...conditionsMeta() },
    generation: true,
  },
  {
    group: 'coordination.k8s.io',
    version: 'v1',
    resource: 'leases',
    singular: 'lease',
    kind: 'Lease',
    namespaced: true,
    verbs: RW,
    subresources: {},
    fields: metaFields,
    fieldsOnlyMeta: true,
    patchMeta: METADATA_META,
    generation: false,
  },
];

/** The store table of a resource: its GroupResource string. */
export function tableOf(def: Pick<ResourceDef, 'group' | 'resource'>): string {
  return def.group ? `${def.resource}.${def.group}` : def.resource;
}

export function apiVersionOf(def: Pick<ResourceDef, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

export function findResource(group: string, version: string, resource: string): ResourceDef | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.resource === resource);
}

export function resourceByKind(kind: string): ResourceDef {
  const def = RESOURCES.find((r) => r.kind === kind);
  if (!def) throw new Error(`kube-sim: no resource of kind ${kind}`);
  return def;
}

/** The group versions served, in discovery order. */
export function groupVersions(): Array<{ group: string; version: string }> {
  const seen = new Map<string, { group: string; version: string }>();
  for (const r of RESOURCES) seen.set(apiVersionOf(r), { group: r.group, version: r.version });
  return [...seen.values()];
}
