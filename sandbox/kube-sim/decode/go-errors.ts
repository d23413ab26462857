// The wording of the two decoders a request body meets in kube-apiserver: encoding/json (as
// forked by sigs.k8s.io/json) for create, update, JSON and merge patches, and runtime's
// unstructured converter (apimachinery/pkg/runtime/converter.go) for strategic merge and apply
// patches, whose patched map is converted without JSON.
import type { Schema } from '../openapi/types.js';
import { defById } from '../openapi/index.js';

export type DecodeMode = 'json' | 'unstructured';

/** A body the decoder refuses; the message is Go's error text. */
export class DecodeError extends Error {}

/** Go's name of a field's type: "bool", "[]v1.Taint", "map[string]string", "v1.NodeSpec". */
export function goType(s: Schema): string {
  switch (s.t) {
    case 'string':
      return 'string';
    case 'bool':
      return 'bool';
    case 'int':
      return s.f;
    case 'float':
      return 'float64';
    case 'list':
      return `[]${goType(s.of)}`;
    case 'map':
      return `map[string]${goType(s.of)}`;
    case 'ref':
      return defById(s.ref).go;
    case 'time':
      return 'v1.Time';
    case 'microtime':
      return 'v1.MicroTime';
    case 'intstr':
      return 'intstr.IntOrString';
    case 'quantity':
      return 'resource.Quantity';
    case 'any':
      return 'interface {}';
  }
}

/** encoding/json's UnmarshalTypeError.Value: what the JSON held ("number 1.5" when an integer was wanted). */
export function jsonValueKind(v: unknown, wantInt = false): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return wantInt ? `number ${v}` : 'number';
  return typeof v === 'string' ? 'string' : 'object';
}

/** reflect.Kind of a value in an unstructured map (ints are int64 there, as kjson preserves them). */
export function unstructuredKind(v: unknown): string {
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int64' : 'float64';
  return typeof v === 'string' ? 'string' : 'map';
}

/** Where the decoder is: the struct holding the field and the dotted field names (no list indexes), as UnmarshalTypeError reports it. */
export type GoWhere = { struct?: string; field?: string };

export function jsonTypeError(value: string, where: GoWhere, type: string): DecodeError {
  if (!where.struct) return new DecodeError(`json: cannot unmarshal ${value} into Go value of type ${type}`);
  return new DecodeError(
    `json: cannot unmarshal ${value} into Go struct field ${where.struct}.${where.field} of type ${type}`,
  );
}

/** The converter's error for a scalar of the wrong kind (fromUnstructured's simple-type branch). */
export function unstructuredScalarError(
  v: unknown,
  target: 'string' | 'bool' | 'int32' | 'int64' | 'float64',
): DecodeError {
  const st = unstructuredKind(v);
  const convertible =
    (st === 'int64' && target !== 'bool') || (st === 'float64' && target !== 'bool' && target !== 'string');
  return new DecodeError(convertible ? `cannot convert ${st} to ${target}` : `unrecognized type: ${target}`);
}
