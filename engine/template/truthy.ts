import { TemplateError } from '../errors.js';

/** Handlebars-style truthiness for #if, and/or/not: empty lists and maps are false. */
export function truthy(v: unknown): boolean {
  if (Array.isArray(v)) return v.length > 0;
  if (v && typeof v === 'object') return Object.keys(v).length > 0;
  return Boolean(v);
}

const TRUE_WORDS = new Set(['true', 'yes', 'on', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'off', '0', '']);

/**
 * A condition's value as a boolean. Like Ansible 2.19, a string or a list is not silently
 * truthy: `when: result.stdout` is an error that says how to write the test.
 */
export function conditionValue(v: unknown, expr: string): boolean {
  if (typeof v === 'boolean') return v;
  if (v === null || v === undefined) return false;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (typeof v === 'string') {
    const w = v.trim().toLowerCase();
    if (TRUE_WORDS.has(w)) return true;
    if (FALSE_WORDS.has(w)) return false;
    throw new TemplateError(
      `condition '${expr}' gave the string ${JSON.stringify(v.slice(0, 60))}, not true or false`,
      {
        hint: `compare it explicitly, e.g. (eq ${expr} "${v.slice(0, 20)}") or (ne (length ${expr}) 0)`,
        code: 'E_CONDITION',
      },
    );
  }
  const kind = Array.isArray(v) ? 'a list' : 'a mapping';
  throw new TemplateError(`condition '${expr}' gave ${kind}, not true or false`, {
    hint: `test its size instead: (gt (length ${expr}) 0)`,
    code: 'E_CONDITION',
  });
}
