// Field selectors: `f=v`, `f==v`, `f!=v`, comma-joined; only the fields each resource
// registers are allowed, with the API's own 400 for the others.
import type { KubeObject } from '../types.js';
import { badRequest } from './status.js';

export type FieldGetter = (o: KubeObject) => string;
export type FieldTerm = { field: string; negate: boolean; value: string };

export const metaFields: Record<string, FieldGetter> = {
  'metadata.name': (o) => o.metadata.name ?? '',
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
};

/** `fieldsOnlyMeta` selects the apiserver's generic message for resources without their own conversion. */
export function parseFieldSelector(
  text: string | undefined,
  fields: Record<string, FieldGetter>,
  fieldsOnlyMeta: boolean,
): FieldTerm[] {
  if (!text || !text.trim()) return [];
  return text.split(',').map((term) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(term.trim());
    if (!m) throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    const field = m[1].trim();
    if (!fields[field]) {
      throw badRequest(
        fieldsOnlyMeta
          ? `"${field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
          : `field label not supported: ${field}`,
      );
    }
    return { field, negate: m[2] === '!=', value: m[3] };
  });
}

export function fieldsMatch(terms: FieldTerm[], fields: Record<string, FieldGetter>, o: KubeObject): boolean {
  return terms.every((t) => (fields[t.field](o) === t.value) !== t.negate);
}
