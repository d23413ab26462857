// Our own evaluator over Handlebars' AST: typed results, a precise error for every undefined
// variable, lazy `default`/`and`/`or`, no prototype access, no HTML escaping, no `new Function`.
import { TemplateError } from '../errors.js';
import { didYouMean, suggest } from '../suggest.js';
import { copyInfo } from '../load/positions.js';
import { UntranslatedJinja } from '../jinja/index.js';
import type * as AST from './ast.js';
import { compileTemplate, type Compiled } from './compile.js';
import { findPartial, indentLines, MAX_PARTIAL_DEPTH, partialsIn, type Partials } from './partials.js';
import { LazyVars, MISSING, type Scope, step } from './scope.js';
import { truthy } from './truthy.js';

/** A helper: its arguments, its hash (key=value) arguments, and the scope it runs in (for lookups). */
export type HelperFn = (args: unknown[], hash: Record<string, unknown>, scope: Scope) => unknown;
export type Helpers = Readonly<Record<string, HelperFn>>;

type Frame = { context: unknown; data: Record<string, unknown>; params?: Record<string, unknown> };
/**
 * `partials`: the inline partials in view; `depth`: how many partial calls deep this runs;
 * `block`: the block of the {{#> name}} call this partial runs for, and where that block stands.
 */
type Ctx = {
  scope: Scope;
  helpers: Helpers;
  frames: Frame[];
  partials?: Partials;
  depth?: number;
  block?: { program: AST.Program; at: Ctx };
};

/** Helpers whose arguments may be undefined or are evaluated lazily. */
const SPECIAL = new Set(['default', 'defined', 'and', 'or', 'if']);

export function evaluate(c: Compiled, scope: Scope, helpers: Helpers): unknown {
  if (c.kind === 'literal') return c.text;
  const ctx: Ctx = { scope, helpers, frames: [] };
  if (c.kind === 'single') return evalMustache(c.node, ctx);
  return evalProgram(c.program, ctx);
}

/** Render every template string inside a value; returns the same object when nothing changed. */
export function renderDeep(value: unknown, scope: Scope, helpers: Helpers): unknown {
  if (value instanceof UntranslatedJinja) {
    const { message, hint } = value.describe();
    throw new TemplateError(`the value ${message}`, { hint, code: 'E_JINJA' });
  }
  if (typeof value === 'string') return value.includes('{{') ? evaluate(compileTemplate(value), scope, helpers) : value;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((v, i) => {
      const r = renderDeep(v, scope, helpers);
      if (r !== v && !out) out = copyInfo(value, value.slice(0, i));
      if (out) out.push(r);
    });
    return out ?? value;
  }
  if (value !== null && typeof value === 'object' && !(value instanceof LazyVars) && !(value instanceof Date)) {
    let out: Record<string, unknown> | undefined;
    const entries = Object.entries(value as Record<string, unknown>);
    entries.forEach(([k, v], i) => {
      const r = renderDeep(v, scope, helpers);
      if (r !== v && !out) out = copyInfo(value, Object.fromEntries(entries.slice(0, i)));
      if (out) out[k] = r;
    });
    return out ?? value;
  }
  return value;
}

function evalProgram(p: AST.Program, ctx: Ctx): string {
  const outer = ctx.partials;
  const inner = partialsIn(p, outer);
  // Most programs define no partial: nothing to put in place and take back.
  if (inner === outer) return evalBody(p, ctx);
  ctx.partials = inner;
  try {
    return evalBody(p, ctx);
  } finally {
    ctx.partials = outer;
  }
}

function evalBody(p: AST.Program, ctx: Ctx): string {
  let out = '';
  for (const st of p.body) {
    switch (st.type) {
      case 'ContentStatement':
        out += (st as AST.ContentStatement).value;
        break;
      case 'MustacheStatement':
        out += stringify(evalMustache(st as AST.MustacheStatement, ctx));
        break;
      case 'BlockStatement':
        out += evalBlock(st as AST.BlockStatement, ctx);
        break;
      case 'CommentStatement':
      case 'DecoratorBlock':
        // An inline partial's definition renders nothing where it stands (partialsIn registered it).
        break;
      case 'PartialStatement':
        out += evalPartial(st as AST.PartialStatement, ctx);
        break;
      case 'PartialBlockStatement':
        out += evalPartial(st as AST.PartialBlockStatement, ctx);
        break;
      default:
        throw new TemplateError(
          `${st.type.replace('Statement', '').toLowerCase()}s are not supported in herdbook templates`,
        );
    }
  }
  return out;
}

export function stringify(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v instanceof LazyVars ? v.toJSON() : v);
}

function evalMustache(m: AST.MustacheStatement, ctx: Ctx): unknown {
  const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
  if (m.path.type === 'PathExpression') {
    const p = m.path;
    const name = p.parts.length === 1 && !p.data && p.depth === 0 ? p.parts[0] : undefined;
    if (hasArgs) return callHelper(p.original, m.params, m.hash, ctx);
    if (name && isHelper(name, ctx) && resolveRoot(name, ctx) === MISSING) return callHelper(name, [], undefined, ctx);
    return evalPath(p, ctx);
  }
  if (m.path.type === 'SubExpression') return evalExpr(m.path, ctx);
  return evalExpr(m.path, ctx);
}

function isHelper(name: string, ctx: Ctx): boolean {
  return SPECIAL.has(name) || Object.prototype.hasOwnProperty.call(ctx.helpers, name);
}

function evalExpr(e: AST.Expression, ctx: Ctx): unknown {
  switch (e.type) {
    case 'PathExpression':
      return evalPath(e, ctx);
    case 'SubExpression':
      return callHelper(e.path.original, e.params, e.hash, ctx);
    case 'StringLiteral':
    case 'NumberLiteral':
    case 'BooleanLiteral':
      return e.value;
    case 'NullLiteral':
      return null;
    case 'UndefinedLiteral':
      return undefined;
    default:
      throw new TemplateError(`unsupported expression ${(e as AST.Node).type}`);
  }
}

function evalHash(hash: AST.Hash | undefined, ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pair of hash?.pairs ?? []) out[pair.key] = evalExpr(pair.value, ctx);
  return out;
}

function callHelper(name: string, params: AST.Expression[], hash: AST.Hash | undefined, ctx: Ctx): unknown {
  switch (name) {
    case 'default': {
      // (default x 'y'): y when x is undefined or null; (default x 'y' true) also when x is empty/false.
      const v = params[0] ? tryEval(params[0], ctx) : MISSING;
      const alsoFalsy = params[2] ? truthy(evalExpr(params[2], ctx)) : false;
      if (v === MISSING || v === null || v === undefined || (alsoFalsy && !truthy(v)))
        return params[1] ? evalExpr(params[1], ctx) : undefined;
      return v;
    }
    case 'defined':
      return params.length > 0 && params.every((p) => tryEval(p, ctx) !== MISSING);
    case 'and': {
      let last: unknown = true;
      for (const p of params) {
        last = evalExpr(p, ctx);
        if (!truthy(last)) return false;
      }
      return params.length ? true : false;
    }
    case 'if':
      // (if c a b): Jinja's `a if c else b`; only the branch taken is evaluated.
      if (params.length !== 3)
        throw new TemplateError('(if cond then else) takes three arguments', { code: 'E_HELPER' });
      return truthy(evalExpr(params[0], ctx)) ? evalExpr(params[1], ctx) : evalExpr(params[2], ctx);
    case 'or': {
      let last: unknown = false;
      for (const p of params) {
        last = evalExpr(p, ctx);
        if (truthy(last)) return last;
      }
      return last;
    }
  }
  const fn = Object.prototype.hasOwnProperty.call(ctx.helpers, name) ? ctx.helpers[name] : undefined;
  if (!fn) {
    const hint = didYouMean(name, [...Object.keys(ctx.helpers), ...SPECIAL]);
    throw new TemplateError(`unknown helper '${name}'`, { hint, code: 'E_HELPER' });
  }
  const args = params.map((p) => evalExpr(p, ctx));
  try {
    return fn(args, evalHash(hash, ctx), ctx.scope);
  } catch (e) {
    if (e instanceof TemplateError) throw e;
    throw new TemplateError(`helper '${name}': ${e instanceof Error ? e.message : String(e)}`, { code: 'E_HELPER' });
  }
}

/** Evaluate, turning "undefined variable" into MISSING (for default/defined). */
function tryEval(e: AST.Expression, ctx: Ctx): unknown {
  try {
    // A plain path is looked up softly: no error built (with its did-you-mean over every variable
    // name and a stack trace) just to be thrown away. `default x` on a missing x is common.
    return e.type === 'PathExpression' ? evalPath(e, ctx, true) : evalExpr(e, ctx);
  } catch (err) {
    if (err instanceof TemplateError && err.code === 'E_UNDEFINED') return MISSING;
    throw err;
  }
}

/**
 * `{{> name k=v}}`: the partial's body with its arguments (and the definition's defaults for the
 * names left out) as its only frame, so it reads them and the root variables, nothing of the caller.
 */
function evalPartial(call: AST.PartialStatement | AST.PartialBlockStatement, ctx: Ctx): string {
  if (call.name.type === 'PathExpression' && call.name.original === '@partial-block') return evalCallerBlock(call, ctx);
  const def = findPartial(call, ctx.partials);
  const depth = (ctx.depth ?? 0) + 1;
  if (depth > MAX_PARTIAL_DEPTH)
    throw new TemplateError(`partials call partials more than ${MAX_PARTIAL_DEPTH} deep (at {{> ${def.name}}})`, {
      hint: 'a partial that calls itself needs an {{#if}} that ends it',
      code: 'E_HELPER',
    });
  const args = evalHash(call.hash, ctx);
  const block = call.type === 'PartialBlockStatement' ? { program: call.program, at: ctx } : undefined;
  const inner: Ctx = { ...ctx, frames: [{ context: args, data: {}, params: args }], depth, block };
  // In order, so a default may read an argument before it: (macro m(a, b=a ~ '!')).
  for (const pair of def.block.hash?.pairs ?? [])
    if (!Object.prototype.hasOwnProperty.call(args, pair.key)) args[pair.key] = evalExpr(pair.value, inner);
  return indentLines(evalProgram(def.block.program, inner), call.type === 'PartialStatement' ? call.indent : '');
}

/**
 * `{{> @partial-block k=v}}`: the block of the {{#> name}} call, rendered where it stands (its
 * block parameters, @index, `this`), as Jinja's caller() renders the {% call %} body; the hash
 * adds names to it.
 */
function evalCallerBlock(call: AST.PartialStatement | AST.PartialBlockStatement, ctx: Ctx): string {
  const b = ctx.block;
  if (!b)
    throw new TemplateError('{{> @partial-block}} is here outside a partial called as a block', {
      hint: 'call the partial with {{#> name}}...{{/name}}',
      code: 'E_HELPER',
    });
  const args = evalHash(call.hash, ctx);
  let frames = b.at.frames;
  if (Object.keys(args).length) {
    const top = frames[frames.length - 1];
    frames = [...frames, { context: top ? top.context : rootVars(b.at), data: top?.data ?? {}, params: args }];
  }
  const out = evalProgram(b.program, { ...b.at, frames });
  return indentLines(out, call.type === 'PartialStatement' ? call.indent : '');
}

function evalBlock(b: AST.BlockStatement, ctx: Ctx): string {
  const name = b.path.original;
  const arg = () => (b.params[0] ? evalExpr(b.params[0], ctx) : undefined);
  const run = (p: AST.Program | undefined, frame?: Frame) => {
    if (!p) return '';
    if (frame) ctx.frames.push(frame);
    try {
      return evalProgram(p, ctx);
    } finally {
      if (frame) ctx.frames.pop();
    }
  };
  const current = () => ctx.frames[ctx.frames.length - 1];
  switch (name) {
    case 'raw':
      return (b.program?.body ?? []).map((s) => (s as AST.ContentStatement).original ?? '').join('');
    case 'if':
      return truthy(arg()) ? run(b.program) : run(b.inverse);
    case 'ensure_newlines': {
      // Translated Jinja: Ansible ends a template's output with as many newlines as its source.
      const out = run(b.program);
      const want = Number(arg());
      const have = /\n*$/.exec(out)![0].length;
      return have < want ? out + '\n'.repeat(want - have) : out;
    }
    case 'unless':
      return truthy(arg()) ? run(b.inverse) : run(b.program);
    case 'with': {
      const v = arg();
      if (!truthy(v)) return run(b.inverse);
      const params = b.program?.blockParams ? { [b.program.blockParams[0]]: v } : undefined;
      return run(b.program, { context: v, data: current()?.data ?? {}, params });
    }
    case 'each': {
      const v = arg();
      const entries: [string | number, unknown][] = Array.isArray(v)
        ? v.map((x, i) => [i, x])
        : v instanceof LazyVars
          ? v.keys().map((k) => [k, v.lookup(k)])
          : v && typeof v === 'object'
            ? Object.entries(v)
            : [];
      if (!entries.length) return run(b.inverse);
      const bp = b.program?.blockParams ?? [];
      return entries
        .map(([k, x], i) =>
          run(b.program, {
            context: x,
            data: { index: i, key: k, first: i === 0, last: i === entries.length - 1 },
            params: bp.length ? { [bp[0]]: x, ...(bp[1] ? { [bp[1]]: k } : {}) } : undefined,
          }),
        )
        .join('');
    }
    default:
      throw new TemplateError(
        `unknown block helper '#${name}' (herdbook has #if, #unless, #each, #with, #raw, #ensure_newlines)`,
        {
          code: 'E_HELPER',
        },
      );
  }
}

function resolveRoot(name: string, ctx: Ctx): unknown {
  for (let i = ctx.frames.length - 1; i >= 0; i--) {
    const params = ctx.frames[i].params;
    if (params && Object.prototype.hasOwnProperty.call(params, name)) return params[name];
  }
  const top = ctx.frames[ctx.frames.length - 1];
  if (top) {
    const v = step(top.context, name);
    if (v !== MISSING) return v;
  }
  return scopeValue(name, ctx.scope, ctx.helpers);
}

/** A variable's value, rendered if it is itself a template (once per scope). */
export function scopeValue(name: string, scope: Scope, helpers: Helpers): unknown {
  const raw = scope.raw(name);
  if (raw === MISSING || !mayHoldTemplate(raw)) return raw;
  if (scope.rendered.has(name)) return scope.rendered.get(name);
  if (scope.resolving.has(name)) {
    throw new TemplateError(`variable '${name}' refers to itself (${[...scope.resolving, name].join(' → ')})`, {
      code: 'E_CYCLE',
    });
  }
  scope.resolving.add(name);
  try {
    const v = renderDeep(raw, scope, helpers);
    scope.rendered.set(name, v);
    return v;
  } catch (e) {
    if (e instanceof TemplateError && e.code === 'E_JINJA' && e.message.startsWith('the value ')) {
      throw new TemplateError(`variable '${name}' ${e.message.slice('the value '.length)}`, {
        hint: e.hint,
        code: e.code,
      });
    }
    if (e instanceof TemplateError && e.code === 'E_UNDEFINED' && !e.message.includes(' in the value of ')) {
      throw new TemplateError(`${e.message} in the value of '${name}'`, {
        hint: e.hint,
        variable: e.variable,
        code: e.code,
      });
    }
    throw e;
  } finally {
    scope.resolving.delete(name);
  }
}

function mayHoldTemplate(v: unknown): boolean {
  if (typeof v === 'string') return v.includes('{{');
  if (v instanceof UntranslatedJinja) return true;
  if (Array.isArray(v)) return v.some(mayHoldTemplate);
  if (v && typeof v === 'object' && !(v instanceof LazyVars)) return Object.values(v).some(mayHoldTemplate);
  return false;
}

/** A path's value; `soft`: MISSING instead of an "undefined variable" error (for default/defined). */
function evalPath(p: AST.PathExpression, ctx: Ctx, soft = false): unknown {
  let value: unknown;
  let start = 0;
  if (p.data) {
    const [head] = p.parts;
    if (head === 'root') value = rootVars(ctx);
    else {
      const frame = ctx.frames[ctx.frames.length - 1 - p.depth];
      value = frame && Object.prototype.hasOwnProperty.call(frame.data, head) ? frame.data[head] : MISSING;
      if (value === MISSING) {
        if (soft) return MISSING;
        throw new TemplateError(`@${head} is only defined inside {{#each}}`, {
          code: 'E_UNDEFINED',
          variable: `@${head}`,
        });
      }
    }
    start = 1;
  } else if (p.depth > 0) {
    const frame = ctx.frames[ctx.frames.length - 1 - p.depth];
    value = frame ? frame.context : rootVars(ctx);
  } else if (p.parts.length === 0) {
    const top = ctx.frames[ctx.frames.length - 1];
    return top ? top.context : rootVars(ctx);
  } else {
    value = resolveRoot(p.parts[0], ctx);
    if (value === MISSING) {
      if (soft) return MISSING;
      throw undefinedRoot(p.parts[0], ctx);
    }
    start = 1;
  }
  for (let i = start; i < p.parts.length; i++) {
    const next = step(value, p.parts[i]);
    if (next === MISSING) {
      if (soft) return MISSING;
      throw undefinedKey(p.parts.slice(0, i).join('.'), p.parts[i], value);
    }
    value = next;
  }
  return value;
}

function rootVars(ctx: Ctx): LazyVars {
  return new LazyVars(
    (k) => scopeValue(k, ctx.scope, ctx.helpers),
    () => ctx.scope.names(),
  );
}

function undefinedRoot(name: string, ctx: Ctx): TemplateError {
  const near =
    didYouMean(name, ctx.scope.names()) ??
    `define it in vars, group_vars or with -e ${name}=..., or write {{default ${name} "..."}}`;
  return new TemplateError(`undefined variable '${name}'`, { hint: near, variable: name, code: 'E_UNDEFINED' });
}

function undefinedKey(parent: string, key: string, container: unknown): TemplateError {
  const keys =
    container instanceof LazyVars
      ? container.keys()
      : container && typeof container === 'object'
        ? Object.keys(container)
        : [];
  const what =
    container === null || container === undefined
      ? `is ${String(container)}`
      : Array.isArray(container)
        ? `is a list of ${container.length}`
        : typeof container !== 'object'
          ? `is a ${typeof container}`
          : `has no key '${key}'`;
  const guess = suggest(key, keys);
  const hint = guess
    ? `did you mean '${parent}.${guess}'?`
    : keys.length
      ? `it has: ${keys.slice(0, 10).join(', ')}${keys.length > 10 ? ', ...' : ''}`
      : undefined;
  return new TemplateError(`undefined variable '${parent}.${key}': '${parent}' ${what}`, {
    hint,
    variable: `${parent}.${key}`,
    code: 'E_UNDEFINED',
  });
}
