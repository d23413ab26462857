// ajv reports every failed branch of a oneOf/anyOf. People need one message per value: the
// specific one when the value matched a branch's shape and failed deeper, otherwise a single
// "must be X or Y". Grouped by value (instancePath), because schemaPaths restart at each $ref.
import type { ErrorObject } from 'ajv';

export type ErrorWithSchema = ErrorObject & { parentSchema?: Record<string, unknown> };

/** Errors that only say "this branch has another shape": noise when another branch explains more. */
const MISMATCH = new Set(['type', 'const', 'enum', 'oneOf', 'anyOf', 'if', '$ref']);

const isAlt = (e: ErrorWithSchema) => e.keyword === 'oneOf' || e.keyword === 'anyOf';

export function pruneAlternatives(errors: ErrorWithSchema[]): ErrorWithSchema[] {
  const drop = new Set<ErrorWithSchema>();
  const paths = new Set(errors.filter(isAlt).map((e) => e.instancePath));
  for (const p of paths) {
    const here = errors.filter((e) => e.instancePath === p);
    const specific = errors.some(
      (e) => e.instancePath.startsWith(p + '/') || (e.instancePath === p && !MISMATCH.has(e.keyword)),
    );
    const mismatches = here.filter((e) => MISMATCH.has(e.keyword));
    if (specific) {
      for (const e of mismatches) drop.add(e);
      continue;
    }
    // ajv reports a combinator after its branches: the last one is the outermost.
    const keep = [...here].reverse().find((e) => isAlt(e) && expectedOf(e)) ?? [...here].reverse().find(isAlt);
    for (const e of mismatches) if (e !== keep) drop.add(e);
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
