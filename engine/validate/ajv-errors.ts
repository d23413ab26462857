// ajv's errors → our diagnostics: file:line:col, plain words, a did-you-mean, and nothing
// about a value that is a template (it is checked again after rendering, at run time).
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../errors.js';
import { looksLikeFqcn, moduleNames, unknownFqcn } from '../load/fqcn.js';
import { pathPos } from '../load/positions.js';
import { expectedAt, pruneAlternatives, requiredOneOf, type ErrorWithSchema } from './ajv-prune.js';
import { suggestKey } from './suggest-key.js';
import { asText } from '../text.js';

const IDENTIFIER = '^[A-Za-z_][A-Za-z0-9_]*$';

function segments(pointer: string): string[] {
  return pointer === ''
    ? []
    : pointer
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
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
  return `${typeof v === 'number' ? 'the number' : ''} ${asText(v)}`.trim();
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'a whole number',
  boolean: 'true or false',
  object: 'a mapping',
  array: 'a list',
  null: 'empty',
};

function typeWords(t: unknown): string {
  const list = [t].flat().map((x) => TYPE_WORDS[String(x)] ?? String(x));
  return [...new Set(list)].join(' or ');
}

function what(segs: string[], parentTitle?: string, modules?: ReadonlySet<string>): string {
  const last = segs[segs.length - 1];
  const parent = segs[segs.length - 2];
  if (last === undefined) return parentTitle ? `the ${parentTitle}` : 'the document';
  if (/^\d+$/.test(last)) return `item ${Number(last) + 1} of '${parent ?? 'the list'}'`;
  if (parent !== undefined && modules?.has(parent)) return `argument '${last}' of module '${parent}'`;
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

/** Keywords about a value's content: a schema's `x-expected` wording replaces their jargon. */
const VALUE_KEYWORDS = new Set([
  'type',
  'const',
  'enum',
  'oneOf',
  'anyOf',
  'pattern',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'multipleOf',
  'format',
]);

/** What to add when a required key is missing. */
const REQUIRED_HINTS: Record<string, string> = {
  hosts: 'add hosts: with a group, a host or a pattern (all, k3s_servers, web:&arm)',
  file: 'name the task file: include_tasks: {file: tasks/x.yaml}',
  name: 'name the role: include_role: {name: my_role}',
};

export function ajvDiagnostics(
  errors: readonly ErrorObject[] | null | undefined,
  doc: unknown,
  file: string,
  modules: ReadonlySet<string>,
  /** The module schemas, to name a module written by a collection name herdbook does not implement. */
  moduleSchemas?: ReadonlyMap<string, Record<string, unknown>>,
): Diagnostic[] {
  if (!errors?.length) return [];
  const list = pruneAlternatives(errors as ErrorWithSchema[]);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    const segs = segments(e.instancePath);
    if (e.keyword === 'if' || underTemplate(doc, segs)) continue;
    const d = toDiagnostic(e, segs, doc, file, modules, errors as ErrorWithSchema[], moduleSchemas);
    if (!d) continue;
    const key = `${d.pos?.line}:${d.pos?.col}:${d.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(d);
    }
  }
  return out;
}

function ownerOf(title: string | undefined, segs: string[], modules: ReadonlySet<string>): string | undefined {
  if (!title) return undefined;
  if (modules.has(title)) return `module '${title}'`;
  // Inventory groups are named by their key: "group 'k3s_workers'".
  if (title === 'group' && segs.length) return `group '${segs[segs.length - 1]}'`;
  return title;
}

function toDiagnostic(
  e: ErrorWithSchema,
  segs: string[],
  doc: unknown,
  file: string,
  modules: ReadonlySet<string>,
  all: readonly ErrorWithSchema[],
  moduleSchemas?: ReadonlyMap<string, Record<string, unknown>>,
): Diagnostic | undefined {
  const title = typeof e.parentSchema?.title === 'string' ? e.parentSchema.title : undefined;
  const owner = ownerOf(title, segs, modules);
  const value = valueAt(doc, segs);
  const at = (extra: string[] = [], atKey = false) =>
    pathPos(doc, [...segs, ...extra], atKey) ?? { file, line: 1, col: 1 };
  const p = e.params as Record<string, unknown>;
  const expected = VALUE_KEYWORDS.has(e.keyword) ? expectedAt(all, e.instancePath) : undefined;
  if (expected && !(segs.length === 0 && title === 'herdbook playbook')) {
    return {
      severity: 'error',
      message: `${what(segs, owner, modules)} must be ${expected}, got ${describeValue(value)}`,
      pos: at(),
    };
  }
  switch (e.keyword) {
    case 'additionalProperties': {
      const key = String(p.additionalProperty);
      if (title === 'task' && moduleSchemas && looksLikeFqcn(key)) {
        const why = unknownFqcn(key, moduleSchemas);
        const near = suggestKey(key, [...moduleNames(moduleSchemas).canonical.values()]);
        return {
          severity: 'error',
          message: why.message,
          pos: at([key], true),
          hint: why.elsewhere ? why.hint : (near ?? why.hint),
        };
      }
      const allowed = Object.keys((e.parentSchema?.properties as object) ?? {});
      const message =
        title === 'task'
          ? `unknown key '${key}' in task: not a task keyword nor a module`
          : owner && modules.has(title!)
            ? `unknown argument '${key}' for module '${title}'`
            : `unknown key '${key}'${owner ? ` in ${owner}` : segs.length && !/^\d+$/.test(segs[segs.length - 1]) ? ` in '${segs[segs.length - 1]}'` : ''}`;
      return {
        severity: 'error',
        message,
        pos: at([key], true),
        hint:
          suggestKey(key, allowed) ??
          (allowed.length && allowed.length < 16 ? `expected one of: ${allowed.join(', ')}` : undefined),
      };
    }
    case 'required': {
      const missing = String(p.missingProperty);
      return {
        severity: 'error',
        message: `${owner ?? what(segs, undefined, modules)} needs '${missing}'`,
        pos: at(),
        hint: REQUIRED_HINTS[missing],
      };
    }
    case 'type':
      if (segs.length === 0 && title === 'herdbook playbook') {
        return {
          severity: 'error',
          message: `a playbook is a list of plays (- hosts: ...), got ${describeValue(value)}`,
          pos: at(),
          hint: "start each play with '- ', as in: - hosts: all",
        };
      }
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} must be ${typeWords(p.type)}, got ${describeValue(value)}`,
        pos: at(),
      };
    case 'enum': {
      const allowed = (p.allowedValues as unknown[]).map(String);
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} must be one of: ${allowed.join(', ')}; got ${describeValue(value)}`,
        pos: at(),
        hint: typeof value === 'string' ? suggestKey(value, allowed) : undefined,
      };
    }
    case 'const':
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} must be ${JSON.stringify(p.allowedValue)}, got ${describeValue(value)}`,
        pos: at(),
      };
    case 'pattern':
      if (p.pattern === IDENTIFIER)
        return {
          severity: 'error',
          message: `${what(segs, owner, modules)} must be a variable name (letters, digits and _), got ${describeValue(value)}`,
          pos: at(),
        };
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} has the wrong form: ${describeValue(value)} does not match ${String(p.pattern)}`,
        pos: at(),
      };
    case 'propertyNames':
      return undefined;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} ${e.message}, got ${describeValue(value)}`,
        pos: at(),
      };
    case 'minItems':
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} needs at least ${String(p.limit)} item${p.limit === 1 ? '' : 's'}`,
        pos: at(),
      };
    case 'minLength':
      return { severity: 'error', message: `${what(segs, owner, modules)} must not be empty`, pos: at() };
    case 'minProperties':
      return {
        severity: 'error',
        message: `${owner ?? what(segs, undefined, modules)} needs at least ${String(p.limit)} key${p.limit === 1 ? '' : 's'}`,
        pos: at(),
      };
    case 'not': {
      // Ansible's mutually_exclusive: `not: {required: [a, b]}`.
      const both = (e.schema as { required?: unknown } | undefined)?.required;
      if (Array.isArray(both))
        return {
          severity: 'error',
          message: `${owner ?? what(segs, undefined, modules)} takes ${both.map((k) => `'${String(k)}'`).join(' or ')}, not both (Ansible: mutually exclusive)`,
          pos: at(),
        };
      return { severity: 'error', message: `${what(segs, owner, modules)} ${e.message ?? 'is invalid'}`, pos: at() };
    }
    case 'oneOf':
    case 'anyOf':
      if (requiredOneOf(e))
        return {
          severity: 'error',
          message: `${owner ?? what(segs, undefined, modules)} needs one of: ${requiredOneOf(e)!
            .map((k) => `'${k}'`)
            .join(', ')}`,
          pos: at(),
        };
      return {
        severity: 'error',
        message: `${what(segs, owner, modules)} must be ${alternatives(e)}, got ${describeValue(value)}`,
        pos: at(),
      };
    default:
      return { severity: 'error', message: `${what(segs, owner, modules)} ${e.message ?? 'is invalid'}`, pos: at() };
  }
}

function alternatives(e: ErrorWithSchema): string {
  const branches = (e.schema as { type?: unknown; $ref?: string }[] | undefined) ?? [];
  const words = branches.map((b) => (b.type ? typeWords(b.type) : b.$ref ? b.$ref.split('/').pop() : 'a valid value'));
  return [...new Set(words)].join(' or ');
}
