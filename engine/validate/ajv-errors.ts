// ajv's errors → our diagnostics: file:line:col, plain words, a did-you-mean, and nothing
// about a value that is a template (it is checked again after rendering, at run time).
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../errors.js';
import { pathPos } from '../load/positions.js';
import { didYouMean } from '../suggest.js';

const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';

function segments(pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, segs: string[]): unknown {
  let v = root;
  for (const s of segs) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined;
  return v;
}

export function describeValue(v: unknown): string {
  if (v === null || v === undefined) return 'nothing (null)';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  return `${typeof v === 'number' ? 'the number' : ''} ${String(v)}`.trim();
}

const TYPE_WORDS: Record<string, string> = { string: 'a string', number: 'a number', integer: 'a whole number', boolean: 'true or false', object: 'a mapping', array: 'a list', null: 'empty' };

function typeWords(t: unknown): string {
  const list = [t].flat().map((x) => TYPE_WORDS[String(x)] ?? String(x));
  return [...new Set(list)].join(' or ');
}

function what(segs: string[], parentTitle?: string): string {
  const last = segs[segs.length - 1];
  if (last === undefined) return parentTitle ? `the ${parentTitle}` : 'the document';
  if (/^\d+$/.test(last)) return `item ${Number(last) + 1} of '${segs[segs.length - 2] ?? 'the list'}'`;
  return `'${last}'`;
}

function isTemplate(v: unknown): boolean {
  return typeof v === 'string' && v.includes('{{');
}

/** Whether any value on the path is a template string (errors beneath it are deferred). */
function underTemplate(root: unknown, segs: string[]): boolean {
  let v = root;
  for (const s of segs) {
    if (isTemplate(v)) return true;
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined;
  }
  return isTemplate(v);
}

type ErrorWithSchema = ErrorObject & { parentSchema?: Record<string, unknown> };

export function ajvDiagnostics(errors: readonly ErrorObject[] | null | undefined, doc: unknown, file: string, modules: ReadonlySet<string>): Diagnostic[] {
  if (!errors?.length) return [];
  const list = pruneAlternatives(errors as ErrorWithSchema[]);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    const segs = segments(e.instancePath);
    if (e.keyword === 'if' || underTemplate(doc, segs)) continue;
    const d = toDiagnostic(e, segs, doc, file, modules);
    if (!d) continue;
    const key = `${d.pos?.line}:${d.pos?.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function toDiagnostic(e: ErrorWithSchema, segs: string[], doc: unknown, file: string, modules: ReadonlySet<string>): Diagnostic | undefined {
  const title = typeof e.parentSchema?.title === 'string' ? (e.parentSchema.title as string) : undefined;
  const owner = title && modules.has(title) ? `module '${title}'` : title ?? undefined;
  const value = valueAt(doc, segs);
  const at = (extra: string[] = [], atKey = false) => pathPos(doc, [...segs, ...extra], atKey) ?? { file, line: 1, col: 1 };
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      const allowed = Object.keys((e.parentSchema?.properties as object) ?? {});
      const message = title === 'task'
        ? `unknown key '${key}' in task: not a task keyword nor a module`
        : owner && modules.has(title!)
          ? `unknown argument '${key}' for module '${title}'`
          : `unknown key '${key}'${owner ? ` in ${owner}` : ''}`;
      return { severity: 'error', message, pos: at([key], true), hint: didYouMean(key, allowed) ?? (allowed.length && allowed.length < 16 ? `expected one of: ${allowed.join(', ')}` : undefined) };
    }
    case 'required':
      return { severity: 'error', message: `${owner ?? what(segs)} needs '${String(p.missingProperty)}'`, pos: at() };
    case 'type':
      if (segs.length === 0 && title === 'herdbook playbook') {
        return { severity: 'error', message: `a playbook is a list of plays (- hosts: ...), got ${describeValue(value)}`, pos: at() };
      }
      return { severity: 'error', message: `${what(segs, owner)} must be ${typeWords(p.type)}, got ${describeValue(value)}`, pos: at() };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return { severity: 'error', message: `${what(segs, owner)} must be one of: ${allowed.join(', ')}; got ${describeValue(value)}`, pos: at(), hint: typeof value === 'string' ? didYouMean(value, allowed) : undefined };
    }
    case 'const':
      return { severity: 'error', message: `${what(segs, owner)} must be ${JSON.stringify(p.allowedValue)}, got ${describeValue(value)}`, pos: at() };
    case 'pattern':
      if (p.pattern === IDENTIFIER) return { severity: 'error', message: `${what(segs, owner)} must be a variable name (letters, digits and _), got ${describeValue(value)}`, pos: at() };
      return { severity: 'error', message: `${what(segs, owner)} must match ${String(p.pattern)}, got ${describeValue(value)}`, pos: at() };
    case 'propertyNames':
      return undefined;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { severity: 'error', message: `${what(segs, owner)} ${e.message}, got ${describeValue(value)}`, pos: at() };
    case 'minItems':
      return { severity: 'error', message: `${what(segs, owner)} needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`, pos: at() };
    case 'minLength':
      return { severity: 'error', message: `${what(segs, owner)} must not be empty`, pos: at() };
    case 'minProperties':
      return { severity: 'error', message: `${owner ?? what(segs)} needs at least ${String(p.limit)} key${p.limit === 1 ? '' : 's'}`, pos: at() };
    case 'oneOf':
    case 'anyOf':
      return { severity: 'error', message: `${what(segs, owner)} must be ${alternatives(e)}, got ${describeValue(value)}`, pos: at() };
    default:
      return { severity: 'error', message: `${what(segs, owner)} ${e.message ?? 'is invalid'}`, pos: at() };
  }
}

function alternatives(e: ErrorWithSchema): string {
  const branches = (e.schema as { type?: unknown; $ref?: string }[] | undefined) ?? [];
  const words = branches.map((b) => (b.type ? typeWords(b.type) : b.$ref ? b.$ref.split('/').pop() : 'a valid value'));
  return [...new Set(words)].join(' or ');
}

/**
 * oneOf/anyOf report every branch's errors. When one branch matched the value's type and
 * failed deeper, keep only that branch's errors (the specific ones); otherwise keep the
 * single "must be X or Y" error.
 */
function pruneAlternatives(errors: ErrorWithSchema[]): ErrorWithSchema[] {
  const drop = new Set<ErrorWithSchema>();
  for (const alt of errors.filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')) {
    const prefix = alt.schemaPath + '/';
    const inner = errors.filter((e) => e !== alt && e.schemaPath.startsWith(prefix));
    const byBranch = new Map<string, ErrorWithSchema[]>();
    for (const e of inner) {
      const branch = e.schemaPath.slice(prefix.length).split('/')[0];
      byBranch.set(branch, [...(byBranch.get(branch) ?? []), e]);
    }
    const deep = [...byBranch.values()].find((errs) => errs.some((e) => e.instancePath !== alt.instancePath || !['type', 'const', 'enum', '$ref'].includes(e.keyword)));
    for (const e of inner) if (!deep?.includes(e)) drop.add(e);
    if (deep) drop.add(alt);
  }
  return errors.filter((e) => !drop.has(e));
}
