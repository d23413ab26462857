// `{% macro %}` → a Handlebars inline partial, and a macro printed by a call → a partial call:
//   {% macro flag(name, value='on') %}--{{ name }}={{ value }}{% endmacro %}{{ flag('tls', value=x) }}
//   {{#*inline 'flag' value='on'}}--{{pystr name}}={{pystr value}}{{/inline}}{{> flag name='tls' value=x}}
// A partial, not the body copied into each call: the converted template stays the user's source,
// with one definition to edit. The bytes stay Jinja's: the body's whitespace was settled by the
// lexer as for any block; the definition and the call are marked as tags so the standalone guard
// covers them as it covers {{#if}} (Handlebars strips a standalone partial line and indents the
// partial's lines, a standalone {{#*inline}} line as a block's); and herdbook's evaluator gives a
// partial only its arguments and the root variables (engine/template/partials.ts), as a macro
// sees only its arguments and the globals. Defaults go on the definition's hash, evaluated at each call that
// leaves the name out, in order, as Jinja evaluates them. What a partial cannot do is left,
// located: varargs, kwargs, caller() with arguments, recursion, a macro's output used in an
// expression, a macro defined inside a block, reading a {% set %} name whose value at the call may
// differ. `{% call m() %}block{% endcall %}` is a partial called as a block, `{{#> m}}block{{/m}}`,
// and caller() in the macro `{{> @partial-block}}`.
import { leave } from './left.js';
import type { Expr, Span, Stmt, Template } from './nodes.js';
import { HBS_RESERVED, type Hidden, type PrintEnv, type SetVar } from './print-base.js';
import { printExpr } from './print-expr.js';
import { walk } from './walk.js';

type Macro = Extract<Stmt, { type: 'Macro' }>;
type Call = Extract<Expr, { type: 'Call' }>;

/** The template's top-level macros, what each calls, and how often each name is {% set %}. */
export type MacroTable = {
  defs: Map<string, Macro>;
  top: Set<Macro>;
  reach: Map<string, Set<string>>;
  sets: Map<string, number>;
  /** The macros whose body reads `caller`: they run only from a {% call %}. */
  callers: Set<string>;
};

/** What the template printer lends: its output and its body printer (passed in: no import cycle). */
export type MacroPrinter = {
  table: MacroTable;
  push(s: string, tag: Span): void;
  printBody(body: Stmt[], env: PrintEnv): void;
};

export function macroTable(t: Template): MacroTable {
  const top = new Set(t.body.filter((st): st is Macro => st.type === 'Macro'));
  const defs = new Map<string, Macro>();
  for (const m of top) if (!defs.has(m.name)) defs.set(m.name, m);
  const calls = new Map<string, Set<string>>();
  const callers = new Set<string>();
  for (const [name, m] of defs) {
    const called = new Set<string>();
    walk(m.body, (e) => {
      if (e.type === 'Call' && e.node.type === 'Name' && defs.has(e.node.name)) called.add(e.node.name);
      if (e.type === 'Name' && e.name === 'caller') callers.add(name);
    });
    calls.set(name, called);
  }
  const reach = new Map<string, Set<string>>();
  for (const name of defs.keys()) {
    const seen = new Set<string>();
    const visit = (n: string) => {
      for (const c of calls.get(n) ?? [])
        if (!seen.has(c)) {
          seen.add(c);
          visit(c);
        }
    };
    visit(name);
    reach.set(name, seen);
  }
  const sets = new Map<string, number>();
  const count = (name: string) => sets.set(name, (sets.get(name) ?? 0) + 1);
  walk(
    t.body,
    () => {},
    (st) => {
      if (st.type === 'Set') st.targets.forEach(count);
      else if (st.type === 'SetBlock') count(st.target);
    },
  );
  return { defs, top, reach, sets, callers };
}

/** Macros are no variables: a macro's name read as a value says what to write instead. */
export function macroNames(table: MacroTable): Map<string, Hidden> {
  const out = new Map<string, Hidden>();
  for (const name of table.defs.keys())
    out.set(name, {
      why: `the output of the macro ${name}() used in an expression has no herdbook spelling: a partial only prints`,
      write: `print it on its own, {{ ${name}(...) }}, and move the filter or the text around it into the macro`,
    });
  return out;
}

/** `caller` in a macro body: printed alone it is the {% call %} block; in an expression, left. */
const CALLER: Hidden = {
  why: 'the output of caller() used in an expression has no herdbook spelling: the {% call %} block only prints',
  write: 'print it on its own, {{ caller() }}, and move the filter or the text around it into the block',
};

/** Names a macro body cannot read as herdbook's partial would: Jinja's implicit macro variables. */
const IMPLICIT: [string, Hidden][] = [
  [
    'varargs',
    { why: "a macro's varargs (extra positional arguments) have no herdbook spelling", write: 'pass a list' },
  ],
  ['kwargs', { why: "a macro's kwargs (extra keyword arguments) have no herdbook spelling", write: 'pass a dict' }],
  ['caller', CALLER],
  [
    'loop',
    {
      why: '`loop` inside a macro is not the loop of the {% for %} it is called from (Jinja leaves it undefined)',
      write: 'pass loop.index (or what you need) as an argument',
    },
  ],
];

export function printMacro(st: Macro, env: PrintEnv, p: MacroPrinter): void {
  const { table } = p;
  if (!table.top.has(st))
    leave(
      st.tag,
      'a {% macro %} inside another block has no herdbook spelling: a partial is defined for the whole template',
      'define it at the top of the template and pass what it reads as arguments',
    );
  if (table.defs.get(st.name) !== st)
    leave(st.tag, `a second {% macro ${st.name} %}: a herdbook partial has one definition`, 'give it another name');
  if (table.reach.get(st.name)?.has(st.name))
    leave(
      recursiveCall(st, table) ?? st.tag,
      `${st.name}() calls itself: herdbook templates have no recursion`,
      'flatten the data first, or unroll the macro for the depth your data has',
    );
  const seen = new Set<string>();
  for (const param of st.params) {
    if (HBS_RESERVED.has(param.name))
      leave(param, `'${param.name}' is a Handlebars keyword, not a name a partial's argument can have`);
    if (seen.has(param.name)) leave(param, `the parameter ${param.name} is named twice`);
    seen.add(param.name);
  }
  const vars = new Map<string, SetVar>();
  const hidden = new Map([...(env.hidden ?? []), ...IMPLICIT]);
  for (const [name, count] of table.sets) {
    const set = env.vars.get(name);
    // Jinja reads a {% set %} name when the macro runs: its value here is that value only when it is set once, before.
    if (count === 1 && set) vars.set(name, { value: set.rooted, rooted: set.rooted, depth: 0 });
    else
      hidden.set(name, {
        why: `the macro reads ${name}, which {% set %} sets more than once or after the macro: Jinja reads its value when the macro runs, a partial where it is defined`,
        write: `pass ${name} as an argument`,
      });
  }
  // A free name may stay bare: inside the partial it is no argument, so the root variables answer
  // (and inside the body's own {% for %} the printer roots it, as anywhere).
  const body: PrintEnv = { vars, loops: [], hidden, macro: st.name };
  const later = (i: number): [string, Hidden][] =>
    st.params
      .slice(i + 1)
      .map((param) => [
        param.name,
        { why: `a default that reads the later parameter ${param.name} has no herdbook spelling` },
      ]);
  const defaults: string[] = [];
  st.params.forEach((param, i) => {
    if (param.default)
      defaults.push(
        `${param.name}=${printExpr(param.default, { ...body, hidden: new Map([...hidden, ...later(i)]) })}`,
      );
    vars.set(param.name, { value: param.name, rooted: param.name, depth: 0 });
    hidden.delete(param.name);
  });
  p.push(`{{#*inline '${st.name}'${defaults.map((d) => ` ${d}`).join('')}}}`, st);
  p.printBody(st.body, body);
  p.push('{{/inline}}', st);
}

/** The first call in a macro's body that leads back to the macro. */
function recursiveCall(st: Macro, table: MacroTable): Call | undefined {
  let found: Call | undefined;
  walk(st.body, (e) => {
    if (found || e.type !== 'Call' || e.node.type !== 'Name') return;
    const callee = e.node.name;
    if (callee === st.name || table.reach.get(callee)?.has(st.name)) found = e;
  });
  return found;
}

/** Whether `{{ e }}` prints a macro of this template (not a variable of the same name). */
export function callsMacro(e: Expr, env: PrintEnv, table: MacroTable): e is Call {
  if (e.type !== 'Call' || e.node.type !== 'Name') return false;
  const name = e.node.name;
  return table.defs.has(name) && !env.vars.has(name) && !env.loops.some((l) => l.params.has(name));
}

/** `{{ m(x, b=y) }}` → `{{> m a=x b=y}}`; `at`: the output statement, for the order of definitions. */
export function printMacroCall(e: Call, at: Span, env: PrintEnv, p: MacroPrinter): void {
  const name = (e.node as { name: string }).name;
  if (p.table.callers.has(name))
    leave(
      e,
      `${name}() calls caller(), which Jinja leaves undefined unless the macro is called by {% call %}`,
      `{% call ${name}(...) %}...{% endcall %}`,
    );
  p.push(`{{> ${name}${partialArgs(e, at, env, p)}}}`, at);
}

/**
 * `{% call m(x) %}body{% endcall %}` → `{{#> m a=x}}body{{/m}}`: the partial renders the block where
 * the macro says caller(), with the frames of where the block stands (engine/template/evaluate.ts),
 * as Jinja's caller() renders the body with the variables of the {% call %}.
 */
export function printCallBlock(st: Extract<Stmt, { type: 'CallBlock' }>, env: PrintEnv, p: MacroPrinter): void {
  if (st.params.length)
    leave(
      st.params[0],
      '{% call(args) %}: caller() with arguments has no herdbook spelling yet',
      'let the macro print what it would pass, or pass it to the macro',
    );
  if (!callsMacro(st.call, env, p.table))
    leave(st.call, '{% call %} of something other than a macro of this template has no herdbook spelling');
  const name = (st.call.node as { name: string }).name;
  p.push(`{{#> ${name}${partialArgs(st.call, st, env, p)}}}`, st.tag);
  // The body is a scope of its own: a {% set %} in it stays there, and caller() in it is its own.
  const own: Hidden = {
    why: "caller() inside a {% call %} block is the block's own, which Jinja leaves undefined (not the macro's)",
    write: 'pass what you need as an argument',
  };
  p.printBody(st.body, { ...env, vars: new Map(env.vars), hidden: new Map([...(env.hidden ?? []), ['caller', own]]) });
  p.push(`{{/${name}}}`, st.tag);
}

/** Whether `{{ e }}` is `caller()` inside a macro's body. */
export function callsCaller(e: Expr, env: PrintEnv): e is Call {
  // Only where the macro's body reads Jinja's own caller: not a parameter of that name, not inside a block.
  return (
    e.type === 'Call' &&
    e.node.type === 'Name' &&
    e.node.name === 'caller' &&
    !env.vars.has('caller') &&
    env.hidden?.get('caller') === CALLER
  );
}

/** `{{ caller() }}` → `{{> @partial-block}}`: the {% call %} block, rendered where it stands. */
export function printCaller(e: Call, at: Span, p: MacroPrinter): void {
  if (e.args.length || e.kwargs.length || e.dyn)
    leave(
      e,
      'caller() with arguments ({% call(args) %}) has no herdbook spelling yet',
      'let the macro print what it would pass, or pass it to the macro',
    );
  p.push('{{> @partial-block}}', at);
}

/** A macro call's arguments as the partial's hash (` a=x b=y`), each checked against the macro's parameters. */
function partialArgs(e: Call, at: Span, env: PrintEnv, p: MacroPrinter): string {
  const name = (e.node as { name: string }).name;
  const def = p.table.defs.get(name)!;
  if (e.dyn) leave(e, `*args and **kwargs in a call of ${name}() have no herdbook spelling`);
  // At the top level the macro, and every macro it calls, must be defined by now (inside a macro
  // body the call runs when that macro is called, where this same check is made).
  if (!env.macro)
    for (const m of [name, ...(p.table.reach.get(name) ?? [])])
      if (p.table.defs.get(m)!.end > at.start)
        leave(e, `${m}() is called before its {% macro %}: Jinja has no ${m} there yet`, 'define the macro first');
  if (e.args.length > def.params.length)
    leave(
      e.args[def.params.length],
      `${name}() takes ${def.params.length} arguments: more are Jinja's varargs, which a herdbook partial has not`,
      'pass a list as one argument',
    );
  const given = new Map<string, Expr>(e.args.map((a, i) => [def.params[i].name, a]));
  for (const k of e.kwargs) {
    if (!def.params.some((param) => param.name === k.name))
      leave(
        k.value,
        `${name}() has no parameter ${k.name}: Jinja's kwargs have no herdbook spelling`,
        `add ${k.name} to the macro's parameters`,
      );
    if (given.has(k.name)) leave(k.value, `${name}() is given ${k.name} twice`);
    given.set(k.name, k.value);
  }
  const missing = def.params.find((param) => !param.default && !given.has(param.name));
  if (missing)
    leave(
      e,
      `${name}() is called without ${missing.name}, which has no default: Jinja makes it undefined in the macro, a partial would read the variable of that name`,
      `pass it, or give it a default (${missing.name}=none)`,
    );
  return def.params
    .filter((param) => given.has(param.name))
    .map((param) => ` ${param.name}=${printExpr(given.get(param.name)!, env)}`)
    .join('');
}

/** Why a statement about macros that the tree keeps as Unsupported is left, and what to write. */
export const MACRO_STATEMENTS: Record<string, Hidden> = {
  import: {
    why: '{% import %} of a macro file has no herdbook spelling: herdbook templates import nothing',
    write: 'copy the macros this template uses into it',
  },
  from: {
    why: '{% from ... import %} of a macro file has no herdbook spelling: herdbook templates import nothing',
    write: 'copy the macros this template uses into it',
  },
};
