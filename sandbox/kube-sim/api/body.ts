// Request bodies through the decoder, with the answers kube-apiserver gives: for create and
// update (handlers/create.go, update.go: transformDecodeError) a 400 "X in version "v1" cannot
// be handled as a X: ..." (transcript 15); for patches (handlers/patch.go) a 422 on the field
// "patch" (transcript 10). Unknown fields follow ?fieldValidation: Warn (the default) answers
// with a `Warning: 299` header per field (transcript 09), Strict refuses, Ignore drops them.
import { parse as parseYaml } from 'yaml';
import { DecodeError } from '../decode/go-errors.js';
import { decodeObject } from '../decode/decode.js';
import { goPrint, goQuote } from '../decode/go-print.js';
import { kindDef } from '../openapi/index.js';
import type { StructDef } from '../openapi/types.js';
import { APPLY_PATCH, STRATEGIC_PATCH, type PatchType } from '../patch/index.js';
import type { KubeObject } from '../types.js';
import { invalid, invalidObject, notSupported } from './field-errors.js';
import { apiVersionOf, type ResourceDef } from './resources.js';
import { badRequest } from './status.js';

export type FieldValidation = 'Ignore' | 'Warn' | 'Strict';

export type DecodedBody = { obj: KubeObject; warnings: string[]; missing: string[] };

/** ?fieldValidation=, checked as ValidateFieldValidation does (422 on the options kind). */
export function fieldValidationOf(query: URLSearchParams, optionsKind: string): FieldValidation {
  const v = query.get('fieldValidation') ?? '';
  if (!['', 'Ignore', 'Warn', 'Strict'].includes(v)) {
    throw invalidObject(optionsKind, 'meta.k8s.io', '', [
      notSupported('fieldValidation', v, ['', 'Ignore', 'Strict', 'Warn']),
    ]);
  }
  return (v || 'Warn') as FieldValidation;
}

export function schemaOf(apiVersion: string, kind: string): StructDef {
  const def = kindDef(apiVersion, kind);
  if (!def) throw new Error(`kube-sim: no OpenAPI schema for ${apiVersion} ${kind}`);
  return def;
}

const unknownFields = (paths: string[]) => paths.map((p) => `unknown field ${goQuote(p)}`);

/** A create, update or subresource body: `kind` is the type the endpoint decodes into. */
export function decodeRequestBody(
  def: ResourceDef,
  raw: Record<string, unknown>,
  validation: FieldValidation,
  kind = def.kind,
  apiVersion = apiVersionOf(def),
): DecodedBody {
  const sentKind = typeof raw.kind === 'string' && raw.kind ? raw.kind : kind;
  const sentVersion =
    typeof raw.apiVersion === 'string' && raw.apiVersion
      ? raw.apiVersion.split('/').pop()
      : apiVersion.split('/').pop();
  const refuse = (why: string) =>
    badRequest(`${sentKind} in version ${goQuote(sentVersion ?? '')} cannot be handled as a ${kind}: ${why}`);
  let d;
  try {
    d = decodeObject(raw, schemaOf(apiVersion, kind), 'json');
  } catch (e) {
    if (e instanceof DecodeError) throw refuse(e.message);
    throw e;
  }
  const fields = validation === 'Ignore' ? [] : unknownFields(d.unknown);
  if (fields.length && validation === 'Strict') throw refuse(`strict decoding error: ${fields.join(', ')}`);
  return { obj: d.value as KubeObject, warnings: fields, missing: d.missing };
}

/**
 * The object a patch produced. JSON and merge patches are decoded from JSON (the error shows
 * the patched document); strategic and apply patches through the unstructured converter (the
 * error shows the patch, printed as Go prints a map).
 */
export function decodePatchedObject(
  def: ResourceDef,
  patched: KubeObject,
  type: PatchType,
  patchBody: string,
  validation: FieldValidation,
): DecodedBody {
  const structured = type === STRATEGIC_PATCH || type === APPLY_PATCH;
  const shown = () =>
    structured ? goPrint(type === APPLY_PATCH ? parseYaml(patchBody) : JSON.parse(patchBody)) : JSON.stringify(patched);
  const refuse = (why: string) => invalidObject('', '', '', [invalid('patch', shown(), why)]);
  let d;
  try {
    d = decodeObject(patched, schemaOf(apiVersionOf(def), def.kind), structured ? 'unstructured' : 'json');
  } catch (e) {
    if (e instanceof DecodeError) throw refuse(e.message);
    throw e;
  }
  const fields = validation === 'Ignore' ? [] : unknownFields(d.unknown);
  if (fields.length && validation === 'Strict') throw refuse(`strict decoding error: ${fields.join(', ')}`);
  return { obj: d.value as KubeObject, warnings: fields, missing: d.missing };
}
