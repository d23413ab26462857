// A Jinja template tree → a herdbook (Handlebars) template. `{% if %}` becomes {{#if}}, `{% for %}`
// {{#each ... as |x|}}, `{% set %}` is inlined where it is used; anything else is left, located.
// The data between tags is already what Jinja renders (whitespace control was applied by the
// lexer); a tag Handlebars would treat as standalone, and so strip its line, is left too.
import { Untranslatable, type Left } from './left.js';
import type { Stmt, Template } from './nodes.js';
import { surelyList } from './print-filters.js';
import { call, printExpr, unwrap, type PrintEnv } from './print-expr.js';

type Part = { text: string; tag?: { start: number; end: number } };
type Ctx = { parts: Part[]; lefts: Left[]; source: string; conditional: number };

export type PrintedTemplate = { text: string; lefts: Left[] };

export function printTemplate(t: Template, env: PrintEnv): PrintedTemplate {
  const ctx: Ctx = { parts: [], lefts: [], source: t.text, conditional: 0 };
  const only = t.body.length === 1 && t.body[0].type === 'Output' ? t.body[0] : undefined;
  if (only) {
    const printed = tryPrint(ctx, () => printExpr(only.expr, env));
    return {
      text: printed === undefined ? '' : mustache(printed, t.text.slice(only.start, only.end)),
      lefts: ctx.lefts,
    };
  }
  printBody(t.body, env, ctx);
  if (!ctx.lefts.length) checkStandalone(ctx);
  return { text: ctx.parts.map((p) => p.text).join(''), lefts: ctx.lefts };
}

function tryPrint<T>(ctx: Ctx, fn: () => T): T | undefined {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof Untranslatable)) throw e;
    ctx.lefts.push(e.left);
    return undefined;
  }
}

/** `{{expr}}`, or the original text when it already reads the same (`{{ x }}`). */
function mustache(printed: string, original: string): string {
  const inner = unwrap(printed);
  const m = /^\{\{(\s*)([\s\S]*?)(\s*)\}\}$/.exec(original);
  if (m && m[2] === inner) return original;
  return `{{${inner}}}`;
}

function text(value: string): string {
  // `{{` in data only comes from {% raw %}: keep it raw in Handlebars too.
  return value.includes('{{') ? `{{{{raw}}}}${value}{{{{/raw}}}}` : value;
}

function push(ctx: Ctx, s: string, tag?: { start: number; end: number }): void {
  // A backslash right before {{ would escape it in Handlebars: double it.
  const prev = ctx.parts[ctx.parts.length - 1];
  if (s.startsWith('{{') && prev && !prev.tag && /(^|[^\\])\\$/.test(prev.text)) prev.text += '\\';
  ctx.parts.push({ text: s, tag });
}

function printBody(body: Stmt[], env: PrintEnv, ctx: Ctx): void {
  for (const st of body) tryPrint(ctx, () => printStmt(st, env, ctx));
}

function leftStmt(st: { start: number; end: number }, why: string, write?: string): never {
  throw new Untranslatable({ start: st.start, end: st.end, why, write });
}

function printStmt(st: Stmt, env: PrintEnv, ctx: Ctx): void {
  switch (st.type) {
    case 'Text':
      push(ctx, text(st.value));
      return;
    case 'Output': {
      const e = st.expr;
      if (e.type === 'Const' && typeof e.value === 'string') push(ctx, text(e.value));
      else push(ctx, mustache(printExpr(e, env), ctx.source.slice(st.start, st.end)));
      return;
    }
    case 'If': {
      // A block's argument keeps its parentheses: {{#if (or a b)}}.
      const tests = st.branches.map((b) => printExpr(b.test, env, true));
      ctx.conditional++;
      st.branches.forEach((b, i) => {
        push(ctx, i === 0 ? `{{#if ${tests[0]}}}` : `{{else if ${tests[i]}}}`, st);
        printBody(b.body, env, ctx);
      });
      if (st.otherwise) {
        push(ctx, '{{else}}', st);
        printBody(st.otherwise, env, ctx);
      }
      ctx.conditional--;
      push(ctx, '{{/if}}', st);
      return;
    }
    case 'For':
      return printFor(st, env, ctx);
    case 'Set': {
      if (st.targets.length > 1) leftStmt(st, '{% set a, b = ... %} has no Handlebars spelling', 'set each name');
      if (ctx.conditional)
        leftStmt(st, '{% set %} inside {% if %} or {% else %} makes a variable that exists only sometimes');
      env.vars.set(st.targets[0], printExpr(st.value, env));
      return;
    }
    case 'SetBlock':
      return leftStmt(st, '{% set x %}...{% endset %} has no Handlebars spelling yet');
    case 'Unsupported':
      return leftStmt(st, `{% ${st.keyword} %} has no herdbook equivalent`);
  }
}

function printFor(st: Extract<Stmt, { type: 'For' }>, env: PrintEnv, ctx: Ctx): void {
  if (st.recursive) leftStmt(st, 'a recursive {% for %} has no Handlebars spelling');
  if (st.filter) leftStmt(st.filter, '{% for x in list if cond %} has no Handlebars spelling', 'filter the list first');
  let iter: string;
  let params: string[];
  const it = st.iter;
  if (st.targets.length === 2) {
    if (!(it.type === 'Call' && it.node.type === 'Getattr' && it.node.attr === 'items' && !it.args.length))
      leftStmt(st, 'unpacking two names works for `dict.items()` only', '{% for k, v in d.items() %}');
    iter = printExpr(it.node.node, env);
    // Handlebars gives the value first, then the key.
    params = [st.targets[1], st.targets[0]];
  } else if (st.targets.length === 1) {
    const printed = printExpr(it, env);
    iter = surelyList(it) ? printed : call('iter', printed);
    params = [st.targets[0]];
  } else return leftStmt(st, 'unpacking more than two names has no Handlebars spelling');
  const inner: PrintEnv = {
    vars: new Map([...env.vars].filter(([k]) => !params.includes(k))),
    loops: [...env.loops, { iter, params: new Set(params) }],
  };
  push(ctx, `{{#each ${iter} as |${params.join(' ')}|}}`, st);
  printBody(st.body, inner, ctx);
  if (st.otherwise) {
    push(ctx, '{{else}}', st);
    printBody(st.otherwise, env, ctx);
  }
  push(ctx, '{{/each}}', st);
}

/** Handlebars strips a block tag's line when the tag stands alone on it: Jinja does not. */
function checkStandalone(ctx: Ctx): void {
  const lines: Part[][] = [[]];
  for (const p of ctx.parts) {
    const pieces = p.tag ? [p.text] : p.text.split('\n');
    pieces.forEach((piece, i) => {
      if (i > 0) lines.push([]);
      lines[lines.length - 1].push({ text: piece + (i < pieces.length - 1 ? '\n' : ''), tag: p.tag });
    });
  }
  for (const line of lines) {
    const tags = line.filter((p) => p.tag);
    if (!tags.length) continue;
    const rest = line.filter((p) => !p.tag).map((p) => p.text);
    if (!rest.every((t) => /^[ \t]*\n?$/.test(t)) || line.some((p) => !p.tag && p.text.includes('{{'))) continue;
    if (!rest.join('')) continue;
    const t = tags[0].tag!;
    ctx.lefts.push({
      start: t.start,
      end: t.end,
      why: 'a statement alone on its line: Handlebars would drop the spaces and the newline around it, Jinja keeps them',
      write: 'put the statement on a line with text, or use {%- -%} so Jinja strips them too',
    });
    return;
  }
}
