// ajv reports every failed branch of a oneOf/anyOf. People need one message per value: the
// specific one when the value matched a branch's shape and failed deeper, otherwise a single
// "must be X or Y". Grouped by value (instancePath), because schemaPaths restart at each $ref.
import type { ErrorObject } from 'ajv';

export type ErrorWithSchema = ErrorObject & { parentSchema?: Record<string, unknown> };

/** Errors that only say "this branch has another shape": noise when another branch explains more. */
const MISMATCH = new Set(['type', 'const', 'enum', 'oneOf', 'anyOf', 'if', '$ref']);

const isAlt = (e: ErrorWithSchema) => e.keyword === 'oneOf' || e.keyword === 'anyOf';

/** `anyOf: [{required: [a]}, {required: [b]}]` (Ansible's required_one_of): the names, else undefined. */
export function requiredOneOf(e: ErrorWithSchema): string[] | undefined {
  if (!isAlt(e) || !Array.isArray(e.schema)) return undefined;
  const branches = e.schema as Record<string, unknown>[];
  const names = branches.map((b) =>
    Object.keys(b).length === 1 && Array.isArray(b.required) && b.required.length === 1 ? String(b.required[0]) : '',
  );
  return names.every(Boolean) ? names : undefined;
}

export function pruneAlternatives(errors: ErrorWithSchema[]): ErrorWithSchema[] {
  const drop = new Set<ErrorWithSchema>();
  // One "needs one of" instead of a "needs" per branch.
  for (const alt of errors) {
    const names = requiredOneOf(alt);
    if (names)
      for (const e of errors)
        if (
          e.keyword === 'required' &&
          e.instancePath === alt.instancePath &&
          names.includes(String(e.params.missingProperty))
        )
          drop.add(e);
  }
  const paths = new Set(errors.filter(isAlt).map((e) => e.instancePath));
  for (const p of paths) {
    const here = errors.filter((e) => e.instancePath === p);
    const specific = errors.some(
      (e) => !drop.has(e) && (e.instancePath.startsWith(p + '/') || (e.instancePath === p && !MISMATCH.has(e.keyword))),
    );
    const mismatches = here.filter((e) => MISMATCH.has(e.keyword));
    if (specific) {
      for (const e of mismatches) drop.add(e);
      continue;
    }
    // ajv reports a combinator after its branches: the last one is the outermost.
    const keep = [...here].reverse().find((e) => isAlt(e) && expectedOf(e)) ?? [...here].reverse().find(isAlt);
    for (const e of mismatches) if (e !== keep && !requiredOneOf(e)) drop.add(e);
  }
  return errors.filter((e) => !drop.has(e));
}

/** A schema's own wording of what it accepts (`x-expected`), for messages without schema jargon. */
export function expectedOf(e: ErrorWithSchema): string | undefined {
  const v: unknown = e.parentSchema?.['x-expected'];
  return typeof v === 'string' ? v : undefined;
}

/** The wording for a value, from any error about that same value whose schema has one. */
export function expectedAt(errors: readonly ErrorWithSchema[], instancePath: string): string | undefined {
  for (let i = errors.length - 1; i >= 0; i--) {
    const e = errors[i];
    if (e.instancePath === instancePath && expectedOf(e)) return expectedOf(e);
  }
  return undefined;
}
