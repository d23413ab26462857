// From the OpenAPI v3 documents a v1.32 API server publishes to the compact table kube-sim
// decodes with: every definition reachable from the kinds it serves, `$ref`s resolved by
// name, descriptions dropped. Pure, so the freshness test can run it on the source documents.
import type { Schema, SchemaTable, StructDef } from './types.js';

/** The parts of an OpenAPI v3 schema object that compacting reads. */
type OpenApiSchema = {
  $ref?: string;
  allOf?: { $ref?: string }[];
  type?: string;
  enum?: string[];
  format?: string;
  items?: OpenApiSchema;
  additionalProperties?: OpenApiSchema;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  default?: unknown;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-map-type'?: string;
};

/** An OpenAPI v3 document as the API server publishes it (/openapi/v3/api/v1 and the groups). */
export type OpenApiDocument = { components?: { schemas?: Record<string, OpenApiSchema> } };

/** The kinds kube-sim serves (and the bodies it takes), by OpenAPI definition. */
export const SERVED_KINDS: Record<string, string> = {
  '/v1/Node': 'io.k8s.api.core.v1.Node',
  '/v1/Pod': 'io.k8s.api.core.v1.Pod',
  '/v1/Namespace': 'io.k8s.api.core.v1.Namespace',
  '/v1/PersistentVolumeClaim': 'io.k8s.api.core.v1.PersistentVolumeClaim',
  'apps/v1/Deployment': 'io.k8s.api.apps.v1.Deployment',
  'apps/v1/DaemonSet': 'io.k8s.api.apps.v1.DaemonSet',
  'apps/v1/ReplicaSet': 'io.k8s.api.apps.v1.ReplicaSet',
  'policy/v1/PodDisruptionBudget': 'io.k8s.api.policy.v1.PodDisruptionBudget',
  'policy/v1/Eviction': 'io.k8s.api.policy.v1.Eviction',
  'coordination.k8s.io/v1/Lease': 'io.k8s.api.coordination.v1.Lease',
  'meta.k8s.io/v1/DeleteOptions': 'io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions',
};

// Types the schemas name but do not describe: their JSON form is fixed by custom (un)marshalers.
const SPECIAL: Record<string, Schema> = {
  'io.k8s.apimachinery.pkg.apis.meta.v1.Time': { t: 'time' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime': { t: 'microtime' },
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': { t: 'intstr' },
  'io.k8s.apimachinery.pkg.api.resource.Quantity': { t: 'quantity' },
  'io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1': { t: 'any' },
  'io.k8s.apimachinery.pkg.runtime.RawExtension': { t: 'any' },
};

/** "io.k8s.api.core.v1.NodeSpec" → "core.v1.NodeSpec"; "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta" → "meta.v1.ObjectMeta". */
export function defId(full: string): string {
  return full.replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\.apimachinery\.pkg\.apis\./, '');
}

const refOf = (p: OpenApiSchema): string | undefined => (p.$ref ?? p.allOf?.[0]?.$ref)?.split('/').pop();

export function compactSchemas(documents: OpenApiDocument[]): SchemaTable {
  const all: Record<string, OpenApiSchema> = {};
  for (const doc of documents) Object.assign(all, doc.components?.schemas ?? {});
  const defs: Record<string, StructDef> = {};
  const pending: string[] = Object.values(SERVED_KINDS);

  const schemaOf = (p: OpenApiSchema | undefined): Schema => {
    if (!p) throw new Error('openapi: a list without items');
    const ref = refOf(p);
    if (ref) {
      if (SPECIAL[ref]) return SPECIAL[ref];
      pending.push(ref);
      return { t: 'ref', ref: defId(ref) };
    }
    switch (p.type) {
      case 'string':
        return p.enum ? { t: 'string', enum: p.enum } : { t: 'string' };
      case 'boolean':
        return { t: 'bool' };
      case 'integer':
        return { t: 'int', f: p.format === 'int32' ? 'int32' : 'int64' };
      case 'number':
        return { t: 'float' };
      case 'array': {
        const s: Extract<Schema, { t: 'list' }> = { t: 'list', of: schemaOf(p.items) };
        const lt = p['x-kubernetes-list-type'];
        if (lt === 'set' || lt === 'map') s.lt = lt;
        if (p['x-kubernetes-list-map-keys']) s.keys = p['x-kubernetes-list-map-keys'];
        if (p['x-kubernetes-patch-merge-key']) s.mergeKey = p['x-kubernetes-patch-merge-key'];
        if (p['x-kubernetes-patch-strategy']) s.strategy = p['x-kubernetes-patch-strategy'];
        return s;
      }
      case 'object':
        if (p.additionalProperties) {
          const m: Extract<Schema, { t: 'map' }> = { t: 'map', of: schemaOf(p.additionalProperties) };
          if (p['x-kubernetes-map-type'] === 'atomic') m.atomic = true;
          return m;
        }
        return { t: 'any' };
      case undefined:
        // Neither a type nor a $ref: refused below, as an unknown type is.
        break;
    }
    throw new Error(`openapi: no type in ${JSON.stringify(p).slice(0, 200)}`);
  };

  while (pending.length) {
    const full = pending.pop()!;
    const id = defId(full);
    if (defs[id] || SPECIAL[full]) continue;
    const d = all[full];
    if (!d) throw new Error(`openapi: ${full} is not in the documents`);
    const def: StructDef = { go: `v1.${full.split('.').pop()}`, props: {} };
    defs[id] = def;
    for (const [name, p] of Object.entries(d.properties ?? {})) {
      def.props[name] = schemaOf(p);
      if (p.default !== undefined) (def.defaults ??= {})[name] = p.default;
    }
    if (d.required?.length) def.required = d.required;
    if (d['x-kubernetes-map-type'] === 'atomic') def.atomic = true;
  }
  const sorted = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((k) => [k, defs[k]]),
  );
  const kinds = Object.fromEntries(Object.entries(SERVED_KINDS).map(([k, full]) => [k, defId(full)]));
  return { kinds, defs: sorted };
}
