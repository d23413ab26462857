// A kind's zero value as Go encodes it, which is what the field manager compares a created
// object with: struct fields always present (the schema's defaults), and the non-omitempty
// fields without a default (the schema's `required` ones: slices, maps, pointers) as null.
// That is why a new pod's `f:containers` has no "." of its own but its items do (transcript 21).
import { defById } from '../openapi/index.js';
import type { StructDef } from '../openapi/types.js';
import { decodeObject } from './decode.js';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function fillNulls(v: Record<string, unknown>, def: StructDef): void {
  for (const k of def.required ?? []) if (!(k in v)) v[k] = null;
  for (const [k, s] of Object.entries(def.props)) {
    const inner = v[k];
    if (s.t === 'ref' && isObj(inner)) fillNulls(inner, defById(s.ref));
  }
}

export function zeroObject(def: StructDef): Record<string, unknown> {
  const out = decodeObject({}, def, 'json').value;
  fillNulls(out, def);
  return out;
}
