// A request body as the API server decodes it into its Go type, checked against the kind's
// OpenAPI schema: values of the wrong JSON type refused with Go's error text, Time and
// MicroTime parsed as Go parses them and written back in UTC, IntOrString and Quantity read
// as their unmarshalers do, unknown fields dropped (and reported, for field validation), and
// the zero values Go would serialise (the schema's `default`) filled in.
import { defById } from '../openapi/index.js';
import type { Schema, StructDef } from '../openapi/types.js';
import {
  DecodeError,
  goType,
  jsonTypeError,
  jsonValueKind,
  unstructuredKind,
  unstructuredScalarError,
  type DecodeMode,
  type GoWhere,
} from './go-errors.js';
import { goFormat, goParse, GoTimeError, RFC3339, RFC3339_MICRO } from './go-time.js';
import { decodeQuantity } from './quantity.js';

export type Decoded = {
  value: Record<string, unknown>;
  /** Paths of fields the type does not have ("spec.containers[0].foo"), in the decoder's order. */
  unknown: string[];
  /** Required fields still absent after defaulting ("spec.containers"). */
  missing: string[];
};

type Ctx = { mode: DecodeMode; unknown: string[]; missing: string[] };
type Where = GoWhere & { field: string; path: string };

const INT_RANGE = { int32: 2 ** 31, int64: 2 ** 63 };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function decodeObject(body: unknown, def: StructDef, mode: DecodeMode): Decoded {
  const ctx: Ctx = { mode, unknown: [], missing: [] };
  const value = decodeStruct(body, def, { field: '', path: '' }, ctx);
  if (mode === 'unstructured') ctx.unknown.sort();
  return { value, unknown: ctx.unknown, missing: ctx.missing };
}

function wrongType(v: unknown, s: Schema, where: Where, ctx: Ctx): DecodeError {
  if (ctx.mode === 'json') return jsonTypeError(jsonValueKind(v, s.t === 'int'), where, goType(s));
  if (s.t === 'ref') return new DecodeError(`cannot restore struct from: ${unstructuredKind(v)}`);
  if (s.t === 'list') return new DecodeError(`cannot restore slice from ${unstructuredKind(v)}`);
  if (s.t === 'map') return new DecodeError(`cannot restore map from ${unstructuredKind(v)}`);
  return unstructuredScalarError(v, goType(s) as 'string');
}

function decodeStruct(v: unknown, def: StructDef, where: Where, ctx: Ctx): Record<string, unknown> {
  if (!isObject(v)) throw wrongType(v, { t: 'ref', ref: '' }, where, ctx);
  const out: Record<string, unknown> = {};
  const struct = def.go.replace(/^v1\./, '');
  for (const [key, raw] of Object.entries(v)) {
    const path = where.path ? `${where.path}.${key}` : key;
    const s = def.props[key];
    if (!s) {
      ctx.unknown.push(path);
      continue;
    }
    const decoded = decodeValue(
      raw,
      s,
      { struct, field: where.field ? `${where.field}.${key}` : key, path },
      ctx,
      false,
    );
    if (decoded !== undefined) out[key] = decoded;
  }
  for (const [key, d] of Object.entries(def.defaults ?? {})) {
    if (key in out) continue;
    const s = def.props[key];
    const path = where.path ? `${where.path}.${key}` : key;
    const at = { struct, field: where.field ? `${where.field}.${key}` : key, path };
    out[key] = s.t === 'ref' ? decodeStruct(structuredClone(d), defById(s.ref), at, ctx) : structuredClone(d);
  }
  for (const key of def.required ?? []) if (!(key in out)) ctx.missing.push(where.path ? `${where.path}.${key}` : key);
  return out;
}

/** The decoded value, or undefined for an absent one (null in a field). In a list or map, null is the zero value. */
function decodeValue(v: unknown, s: Schema, where: Where, ctx: Ctx, inCollection: boolean): unknown {
  if (v === null) return inCollection ? zeroOf(s, where, ctx) : undefined;
  switch (s.t) {
    case 'string':
      if (typeof v !== 'string') throw wrongType(v, s, where, ctx);
      return v;
    case 'bool':
      if (typeof v !== 'boolean') throw wrongType(v, s, where, ctx);
      return v;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v) || Math.abs(v) >= INT_RANGE[s.f])
        throw wrongType(v, s, where, ctx);
      return v;
    case 'float':
      if (typeof v !== 'number') throw wrongType(v, s, where, ctx);
      return v;
    case 'time':
    case 'microtime':
      return decodeTime(v, s.t === 'microtime', where, ctx);
    case 'intstr':
      if (typeof v === 'string') return v;
      if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < INT_RANGE.int32) return v;
      throw ctx.mode === 'json'
        ? jsonTypeError(jsonValueKind(v, true), where, 'int32')
        : jsonTypeError(jsonValueKind(v, true), {}, 'int32');
    case 'quantity':
      return decodeQuantity(v);
    case 'any':
      return v;
    case 'ref':
      return decodeStruct(v, defById(s.ref), where, ctx);
    case 'list':
      if (!Array.isArray(v)) throw wrongType(v, s, where, ctx);
      return v.map((item, i) => decodeValue(item, s.of, { ...where, path: `${where.path}[${i}]` }, ctx, true));
    case 'map': {
      if (!isObject(v)) throw wrongType(v, s, where, ctx);
      const out: Record<string, unknown> = {};
      for (const [k, item] of Object.entries(v))
        out[k] = decodeValue(item, s.of, { ...where, path: `${where.path}[${k}]` }, ctx, true);
      return out;
    }
  }
}

function zeroOf(s: Schema, where: Where, ctx: Ctx): unknown {
  if (s.t === 'ref') return decodeStruct({}, defById(s.ref), where, ctx);
  return ({ string: '', bool: false, int: 0, float: 0 } as Record<string, unknown>)[s.t] ?? null;
}

/** metav1.Time / MicroTime UnmarshalJSON: a JSON string, parsed with time.Parse. */
function decodeTime(v: unknown, micro: boolean, where: Where, ctx: Ctx): string {
  if (typeof v !== 'string') throw jsonTypeError(jsonValueKind(v), ctx.mode === 'json' ? where : {}, 'string');
  try {
    const t = goParse(micro ? RFC3339_MICRO : RFC3339, v);
    return goFormat(t.ms, t.nsec, micro);
  } catch (e) {
    if (e instanceof GoTimeError) throw new DecodeError(e.message);
    throw e;
  }
}
