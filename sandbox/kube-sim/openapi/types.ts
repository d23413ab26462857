// The compact form of the OpenAPI schemas kube-sim decodes request bodies with: only what
// decoding, defaulting, managedFields and strategic merge need, with `$ref`s kept by name
// (PodSpec is shared by Pod, Deployment, ReplicaSet and DaemonSet).

/** A value's schema. A list without `lt` is atomic, as structured-merge-diff treats it. */
export type Schema =
  | { t: 'string'; enum?: string[] }
  | { t: 'bool' }
  | { t: 'int'; f: 'int32' | 'int64' }
  | { t: 'float' }
  /** metav1.Time: RFC 3339, written in whole seconds. */
  | { t: 'time' }
  /** metav1.MicroTime: RFC 3339 with exactly six fractional digits. */
  | { t: 'microtime' }
  | { t: 'intstr' }
  | { t: 'quantity' }
  /** FieldsV1, RawExtension: any JSON. */
  | { t: 'any' }
  | { t: 'list'; of: Schema; lt?: 'set' | 'map'; keys?: string[]; mergeKey?: string; strategy?: string }
  | { t: 'map'; of: Schema; atomic?: true }
  | { t: 'ref'; ref: string };

/** A Go struct: its properties, their defaults (Go's zero values of non-omitempty fields), required names. */
export type StructDef = {
  /** Go's name for the type in error messages: "v1.NodeSpec". */
  go: string;
  props: Record<string, Schema>;
  defaults?: Record<string, unknown>;
  required?: string[];
  /** x-kubernetes-map-type: atomic (LabelSelector): owned as a whole. */
  atomic?: true;
};

export type SchemaTable = {
  /** "group/version/Kind" ("/v1/Node" for the core group) → definition id. */
  kinds: Record<string, string>;
  defs: Record<string, StructDef>;
};
