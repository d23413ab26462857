// The schemas of the kinds kube-sim serves, looked up by apiVersion and kind.
import { SCHEMAS } from './schemas.generated.js';
import type { Schema, SchemaTable, StructDef } from './types.js';

export type { Schema, SchemaTable, StructDef } from './types.js';

/** "apps/v1" + "Deployment" → the Deployment struct; "v1" + "Node" → Node. */
export function kindDef(apiVersion: string, kind: string): StructDef | undefined {
  const key = apiVersion.includes('/') ? `${apiVersion}/${kind}` : `/${apiVersion}/${kind}`;
  const id = SCHEMAS.kinds[key];
  return id ? SCHEMAS.defs[id] : undefined;
}

export function defById(id: string): StructDef {
  const d = SCHEMAS.defs[id];
  if (!d) throw new Error(`kube-sim: no schema ${id}`);
  return d;
}

/** A struct reference's definition, or undefined for every other schema. */
export function structOf(s: Schema): StructDef | undefined {
  return s.t === 'ref' ? defById(s.ref) : undefined;
}

export const schemaTable = (): SchemaTable => SCHEMAS;
