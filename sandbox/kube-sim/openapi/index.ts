// The schemas of the kinds kube-sim serves, looked up by apiVersion and kind.
import { SCHEMAS } from './schemas.generated.js';
import type { Schema, SchemaTable, StructDef } from './types.js';

export type { Schema, SchemaTable, StructDef } from './types.js';

/** The definition id of a kind: "apps/v1" + "Deployment" → "apps.v1.Deployment"; "v1" + "Node" → "core.v1.Node". */
export function kindId(apiVersion: string, kind: string): string | undefined {
  return SCHEMAS.kinds[apiVersion.includes('/') ? `${apiVersion}/${kind}` : `/${apiVersion}/${kind}`];
}

export function kindDef(apiVersion: string, kind: string): StructDef | undefined {
  const id = kindId(apiVersion, kind);
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
