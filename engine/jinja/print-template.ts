// A Jinja template tree → a herdbook (Handlebars) template. `{% if %}` becomes {{#if}}, `{% for %}`
// {{#each ... as |x|}}, `{% set %}` is inlined where it is used; anything else is left, located.
// The data between tags is already what Jinja renders (whitespace control was applied by the
// lexer); a tag Handlebars would treat as standalone, and so strip its line, gets a guard.
import { Untranslatable, type Left } from './left.js';
import type { Expr, Stmt, Template } from './nodes.js';
import { surelyList } from './print-filters.js';
import type { SetVar } from './print-base.js';
import { call, printExpr, unwrap, type PrintEnv } from './print-expr.js';
import { surelyFloat, surelyString } from './print-output.js';
import {
  callsCaller,
  callsMacro,
  MACRO_STATEMENTS,
  macroNames,
  macroTable,
  printCallBlock,
  printCaller,
  printMacro,
  printMacroCall,
  type MacroPrinter,
} from './print-macro.js';
import { guardStandalone, type Part } from './standalone.js';

type Ctx = { parts: Part[]; lefts: Left[]; source: string; macros: MacroPrinter };

export type PrintedTemplate = { text: string; lefts: Left[]; parts: Part[] };

/**
 * `file`: the template is a file (the template module), so even a lone {{ x }} prints as text.
 * `newlines`: how many newlines the source ended with; the output gets as many (Ansible's
 * preserve_trailing_newlines), added here when the template's end is known, else at run time.
 */
export function printTemplate(
  t: Template,
  env: PrintEnv,
  opts: { file: boolean; newlines: number } = { file: false, newlines: 0 },
): PrintedTemplate {
  const table = macroTable(t);
  const ctx: Ctx = {
    parts: [],
    lefts: [],
    source: t.text,
    macros: {
      table,
      push: (s, tag) => push(ctx, s, tag),
      printBody: (body, env) => printBody(body, env, ctx),
    },
  };
  if (table.defs.size) env = { ...env, hidden: new Map([...(env.hidden ?? []), ...macroNames(table)]) };
  const only = t.body.length === 1 && t.body[0].type === 'Output' ? t.body[0] : undefined;
  if (only && !opts.file && !opts.newlines) {
    // A value that is one {{ }}: its typed value, as Ansible's native-looking result.
    const printed = tryPrint(ctx, () => printExpr(only.expr, env));
    const text = printed === undefined ? '' : mustache(printed, t.text.slice(only.start, only.end));
    return { text, lefts: ctx.lefts, parts: [{ text }] };
  }
  const ending = opts.newlines ? endingNewlines(t.body) : 0;
  const pad = ending === undefined ? 'ensure_newlines' : undefined;
  if (pad) push(ctx, `{{#${pad} ${opts.newlines}}}`, { start: 0, end: 0 });
  printBody(t.body, env, ctx);
  if (pad) push(ctx, `{{/${pad}}}`, { start: 0, end: 0 });
  else if (ending !== undefined && opts.newlines > ending) push(ctx, '\n'.repeat(opts.newlines - ending));
  return { text: guardStandalone(ctx.parts), lefts: ctx.lefts, parts: ctx.parts };
}

/** How many newlines the output surely ends with, or undefined when it depends on the values. */
function endingNewlines(body: Stmt[]): number | undefined {
  let count = 0;
  for (let i = body.length - 1; i >= 0; i--) {
    const st = body[i];
    // Neither a {% set %} nor a macro's definition renders anything.
    if (st.type === 'Set' || st.type === 'Macro') continue;
    const data =
      st.type === 'Text'
        ? st.value
        : st.type === 'Output' && st.expr.type === 'Const' && typeof st.expr.value === 'string'
          ? st.expr.value
          : undefined;
    if (data === undefined) return undefined;
    const n = /\n*$/.exec(data)![0].length;
    count += n;
    if (n < data.length) return count;
  }
  return count;
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

/** One {{ }} inside text: printed as Python prints it (see print-output.ts). */
function output(e: Expr, env: PrintEnv, original: string): string {
  const printed = printExpr(e, env);
  if (surelyString(e) || loopNumber(e, env)) return mustache(printed, original);
  return `{{${unwrap(call('pystr', printed, ...(surelyFloat(e) ? ['float=true'] : [])))}}}`;
}

/**
 * Data as Handlebars text. `{{` and `{%` in data (from {% raw %}, or a string printed) would open
 * a Handlebars tag, or be refused as Jinja: their brace is printed by a string literal instead.
 */
/** loop.index and the other loop counters: integers, which print the same in both languages. */
function loopNumber(e: Expr, env: PrintEnv): boolean {
  return (
    e.type === 'Getattr' &&
    e.node.type === 'Name' &&
    e.node.name === 'loop' &&
    env.loops.length > 0 &&
    !env.vars.has('loop') &&
    ['index', 'index0', 'revindex', 'revindex0', 'length'].includes(e.attr)
  );
}

function text(value: string): string {
  // Backslashes right before a {{ are the lexer's escape: one more keeps them all (see push).
  return value.replace(/(\\*)\{(?=[{%])/g, (_m, bs: string) => `${bs}${bs ? '\\' : ''}{{'{'}}`);
}

function push(ctx: Ctx, s: string, tag?: { start: number; end: number }): void {
  // Backslashes right before {{ escape it in Handlebars, which drops one of two: add one.
  const prev = ctx.parts[ctx.parts.length - 1];
  if (s.startsWith('{{') && prev && !prev.tag && prev.text.endsWith('\\')) prev.text += '\\';
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
      else if (callsMacro(e, env, ctx.macros.table)) printMacroCall(e, st, env, ctx.macros);
      else if (callsCaller(e, env)) printCaller(e, st, ctx.macros);
      else push(ctx, output(e, env, ctx.source.slice(st.start, st.end)));
      return;
    }
    case 'If':
      return printIf(st, env, ctx);
    case 'For':
      return printFor(st, env, ctx);
    case 'Set': {
      const value = printExpr(st.value, env);
      // Printed once more with every free name read from the root, for use inside a later loop.
      const rooted = printExpr(st.value, { ...env, root: true });
      if (st.targets.length === 1) env.vars.set(st.targets[0], { value, rooted, depth: env.loops.length });
      else
        st.targets.forEach((name, i) =>
          env.vars.set(name, {
            value: call('at', value, String(i)),
            rooted: call('at', rooted, String(i)),
            depth: env.loops.length,
          }),
        );
      return;
    }
    case 'SetBlock':
      return leftStmt(st, '{% set x %}...{% endset %} has no Handlebars spelling yet', '{% set x = ... %}');
    case 'Macro':
      return printMacro(st, env, ctx.macros);
    case 'CallBlock':
      return printCallBlock(st, env, ctx.macros);
    case 'Unsupported': {
      const known = MACRO_STATEMENTS[st.keyword] as { why: string; write?: string } | undefined;
      return leftStmt(st, known?.why ?? `{% ${st.keyword} %} has no herdbook equivalent`, known?.write);
    }
  }
}

/**
 * `{% if %}`: each branch prints with its own copy of the {% set %} names, so a name set in a
 * branch holds, after the {% endif %}, the value of the branch taken: (if test1 v1 (if test2 v2 before)),
 * before being its value ahead of the {% if %} (null when it had none: Jinja's undefined prints nothing).
 */
function printIf(st: Extract<Stmt, { type: 'If' }>, env: PrintEnv, ctx: Ctx): void {
  // A block's argument keeps its parentheses: {{#if (or a b)}}.
  const tests = st.branches.map((b) => printExpr(b.test, env, true));
  const before = env.vars;
  const branches: Map<string, SetVar>[] = [];
  const branch = (body: Stmt[]) => {
    const vars = new Map(before);
    printBody(body, { ...env, vars }, ctx);
    branches.push(vars);
  };
  st.branches.forEach((b, i) => {
    push(ctx, i === 0 ? `{{#if ${tests[0]}}}` : `{{else if ${tests[i]}}}`, st);
    branch(b.body);
  });
  if (st.otherwise) {
    push(ctx, '{{else}}', st);
    branch(st.otherwise);
  } else branches.push(new Map(before));
  push(ctx, '{{/if}}', st);
  const changed = new Set(branches.flatMap((m) => [...m].filter(([k, v]) => before.get(k) !== v).map(([k]) => k)));
  if (!changed.size) return;
  const rootedTests = st.branches.map((b) => printExpr(b.test, { ...env, root: true }, true));
  for (const name of changed) {
    const pick = (field: 'value' | 'rooted', t: string[]) =>
      t.reduceRight(
        (acc, test, i) => call('if', test, branches[i].get(name)?.[field] ?? 'null', acc),
        branches[t.length].get(name)?.[field] ?? 'null',
      );
    env.vars.set(name, { value: pick('value', tests), rooted: pick('rooted', rootedTests), depth: env.loops.length });
  }
}

/** Whether a {% for %}'s own text reads `loop` (loop.index, loop.last...). */
const readsLoop = (ctx: Ctx, st: { start: number; end: number }) => /\bloop\b/.test(ctx.source.slice(st.start, st.end));

function printFor(st: Extract<Stmt, { type: 'For' }>, env: PrintEnv, ctx: Ctx): void {
  if (st.recursive)
    leftStmt(
      st,
      'a recursive {% for %} has no Handlebars spelling: herdbook templates have no recursion',
      'flatten the tree first',
    );
  // `for x in xs if cond`: Jinja filters before looping; the same output as testing each item in the
  // body, unless the body counts (loop.index, loop.last) or an {% else %} runs on an empty result.
  if (st.filter && (st.otherwise || readsLoop(ctx, st)))
    leftStmt(
      st.filter,
      '{% for x in list if cond %} with loop.* or {% else %}: loop counts the filtered items, which Handlebars cannot filter first',
      'filter the list first (| select / selectattr)',
    );
  let iter: string;
  let params: string[];
  const vars = new Map([...env.vars].filter(([k]) => !st.targets.includes(k)));
  const it = st.iter;
  const items = it.type === 'Call' && it.node.type === 'Getattr' && it.node.attr === 'items' && !it.args.length;
  if (st.targets.length === 2 && items && it.node.type === 'Getattr') {
    iter = printExpr(it.node.node, env);
    // Handlebars gives the value first, then the key.
    params = [st.targets[1], st.targets[0]];
  } else if (st.targets.length === 1) {
    const printed = printExpr(it, env);
    iter = surelyList(it) ? printed : call('iter', printed);
    params = [st.targets[0]];
  } else {
    // `for a, b in pairs`: one block parameter, each name an index into it.
    const printed = printExpr(it, env);
    iter = surelyList(it) ? printed : call('iter', printed);
    const param = `${st.targets.join('_')}_item`;
    params = [param];
    st.targets.forEach((name, i) => {
      const v = call('at', param, String(i));
      vars.set(name, { value: v, rooted: v, depth: env.loops.length + 1 });
    });
  }
  const inner: PrintEnv = { ...env, vars, loops: [...env.loops, { iter, params: new Set(params) }] };
  push(ctx, `{{#each ${iter} as |${params.join(' ')}|}}`, st);
  const cond = st.filter ? printExpr(st.filter, inner, true) : undefined;
  if (cond) push(ctx, `{{#if ${cond}}}`, st);
  printBody(st.body, inner, ctx);
  if (cond) push(ctx, '{{/if}}', st);
  if (st.otherwise) {
    push(ctx, '{{else}}', st);
    printBody(st.otherwise, env, ctx);
  }
  push(ctx, '{{/each}}', st);
}
