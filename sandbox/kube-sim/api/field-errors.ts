// field.Error and NewInvalid from k8s.io/apimachinery: the 422 "is invalid" answers.
import { asText } from '../../../engine/text.js';
import { statusBody, StatusError, type StatusCause } from './status.js';

export type FieldErrorType =
  'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden';

/** `shown` replaces the printed value where Go prints it with %#v (a struct). */
export type FieldError = { type: FieldErrorType; field: string; value?: unknown; detail?: string; shown?: string };

// Go prints values with %v/%q: strings quoted, numbers bare.
function showValue(v: unknown): string {
  return typeof v === 'string' ? JSON.stringify(v) : typeof v === 'object' ? JSON.stringify(v) : asText(v);
}

export function errorBody(e: FieldError): string {
  const tail = e.detail ? `: ${e.detail}` : '';
  const show = (v: unknown) => e.shown ?? showValue(v);
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
export const invalid = (field: string, value: unknown, detail?: string): FieldError => ({
  type: 'FieldValueInvalid',
  field,
  value,
  detail,
});
export const notSupported = (field: string, value: unknown, supported: string[]): FieldError => ({
  type: 'FieldValueNotSupported',
  field,
  value,
  detail: `supported values: ${supported.map((s) => JSON.stringify(s)).join(', ')}`,
});
export const duplicate = (field: string, value: unknown, detail?: string): FieldError => ({
  type: 'FieldValueDuplicate',
  field,
  value,
  detail,
});
export const forbiddenField = (field: string, detail: string): FieldError => ({
  type: 'FieldValueForbidden',
  field,
  detail,
});

/**
 * `Pod "x" is invalid: spec.containers: Required value` (several errors are bracketed, as Go's
 * aggregate prints them, identical ones once: ErrorList.ToAggregate); every error is a cause.
 * An empty kind and name give the patch handler's ` "" is invalid` (transcript 10).
 */
export function invalidObject(kind: string, group: string, name: string, errors: FieldError[]): StatusError {
  const qualifiedKind = group && kind ? `${kind}.${group}` : kind;
  const parts = [...new Set(errors.map((e) => `${e.field}: ${errorBody(e)}`))];
  const joined = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const causes: StatusCause[] = errors.map((e) => ({ reason: e.type, message: errorBody(e), field: e.field }));
  // StatusDetails' name, group and kind are omitempty.
  const details = { ...(name ? { name } : {}), ...(group && kind ? { group } : {}), ...(kind ? { kind } : {}), causes };
  return new StatusError(statusBody(422, `${qualifiedKind} "${name}" is invalid: ${joined}`, 'Invalid', details));
}
