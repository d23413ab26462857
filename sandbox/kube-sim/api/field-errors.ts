// field.Error and NewInvalid from k8s.io/apimachinery: the 422 "is invalid" answers.
import { statusBody, StatusError, type StatusCause } from './status.js';

export type FieldErrorType =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueDuplicate'
  | 'FieldValueForbidden';

export type FieldError = { type: FieldErrorType; field: string; value?: unknown; detail?: string };

// Go prints values with %v/%q: strings quoted, numbers bare.
function show(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function errorBody(e: FieldError): string {
  const tail = e.detail ? `: ${e.detail}` : '';
  switch (e.type) {
    case 'FieldValueRequired':
      return `Required value${tail}`;
    case 'FieldValueInvalid':
      return `Invalid value: ${show(e.value)}${tail}`;
    case 'FieldValueNotSupported':
      return `Unsupported value: ${show(e.value)}${tail}`;
    case 'FieldValueDuplicate':
      return `Duplicate value: ${show(e.value)}${tail}`;
    case 'FieldValueForbidden':
      return `Forbidden${tail}`;
  }
}

export const required = (field: string, detail?: string): FieldError => ({ type: 'FieldValueRequired', field, detail });
export const invalid = (field: string, value: unknown, detail?: string): FieldError => ({ type: 'FieldValueInvalid', field, value, detail });
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
export const duplicate = (field: string, value: unknown, detail?: string): FieldError => ({ type: 'FieldValueDuplicate', field, value, detail });
export const forbiddenField = (field: string, detail: string): FieldError => ({ type: 'FieldValueForbidden', field, detail });

/** `Pod "x" is invalid: spec.containers: Required value` (several errors are bracketed, as Go's aggregate prints them). */
export function invalidObject(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const parts = errors.map((e) => `${e.field}: ${errorBody(e)}`);
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  return new StatusError(statusBody(422, `${qualifiedKind} "${name}" is invalid: ${joined}`, 'Invalid', { name, ...(group ? { group } : {}), kind, causes }));
}
