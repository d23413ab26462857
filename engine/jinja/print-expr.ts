// A Jinja expression tree → herdbook's Handlebars expression text. Every construct maps to a
// helper with the same meaning (engine/template/helpers) or is left with a located reason.
// Sub-expressions are always parenthesised, so Jinja's precedence is already in the tree.
import { leave } from './left.js';
import type { CompareOp, Expr } from './nodes.js';
import { call, HBS_RESERVED, isCall, SIMPLE_KEY, str, type PrintEnv } from './print-base.js';
import { printCall } from './print-calls.js';
import { printFilter } from './print-filters.js';
import { printTest } from './print-tests.js';

export { call, emptyEnv, unwrap, type PrintEnv } from './print-base.js';

function num(value: number, span: { start: number; end: number }, float?: boolean): string {
  const s = String(value);
  if (!/^-?\d+(\.\d+)?$/.test(s)) return leave(span, `the number ${s} has no Handlebars literal`);
  return float && !s.includes('.') ? `${s}.0` : s;
}

/** `bool`: the value is only tested for truth (a condition, the operand of not), so `and` may give a boolean. */
export function printExpr(e: Expr, env: PrintEnv, bool = false): string {
  switch (e.type) {
    case 'Const':
      if (typeof e.value === 'string') return str(e.value, e);
      if (typeof e.value === 'number') return num(e.value, e, e.float);
      return e.value === null ? 'null' : String(e.value);
    case 'Name':
      return printName(e.name, e, env);
    case 'List':
    case 'Tuple':
      return call('list', ...e.items.map((x) => printExpr(x, env)));
    case 'Dict': {
      const simple = e.pairs.every(
        ({ key }) => key.type === 'Const' && typeof key.value === 'string' && SIMPLE_KEY.test(key.value),
      );
      // Keys that are not plain names (or are computed) go in as values: (dict_pairs 'é' 1 k 2).
      if (!simple)
        return call('dict_pairs', ...e.pairs.flatMap(({ key, value }) => [printExpr(key, env), printExpr(value, env)]));
      return call(
        'dict',
        ...e.pairs.map(({ key, value }) => `${(key as { value: string }).value}=${printExpr(value, env)}`),
      );
    }
    case 'Getattr':
    case 'Getitem':
      return printAccess(e, env);
    case 'Slice': {
      const bound = (x: Expr | undefined) => (x ? printExpr(x, env) : 'null');
      return call('slice', printExpr(e.node, env), bound(e.lower), bound(e.upper), bound(e.step));
    }
    case 'Call':
      return printCall(e, env, printExpr);
    case 'Filter':
      return printFilter(e, env, printExpr);
    case 'Test':
      return printTest(e, env, printExpr);
    case 'Unary':
      if (e.op === 'not') return call('not', printExpr(e.node, env, true));
      if (e.op === '+') return printExpr(e.node, env);
      if (e.node.type === 'Const' && typeof e.node.value === 'number') return num(-e.node.value, e, e.node.float);
      return call('sub', '0', printExpr(e.node, env));
    case 'Binary':
      return printBinary(e, env, bool);
    case 'Compare':
      return printCompare(e, env);
    case 'CondExpr':
      // `x if c` alone is undefined when c is false, which prints as nothing and which default()
      // replaces: null does both in herdbook.
      return call(
        'if',
        printExpr(e.test, env, true),
        printExpr(e.then, env),
        e.otherwise ? printExpr(e.otherwise, env) : 'null',
      );
  }
}

function printName(name: string, span: { start: number; end: number }, env: PrintEnv): string {
  const set = env.vars.get(name);
  if (set !== undefined) return env.loops.length > set.depth ? set.rooted : set.value;
  for (let i = env.loops.length - 1; i >= 0; i--) if (env.loops[i].params.has(name)) return name;
  if (name === 'loop' && env.loops.length)
    return leave(span, '`loop` itself has no Handlebars value', 'use loop.index, loop.index0, loop.first, loop.last');
  const hidden = env.hidden?.get(name);
  if (hidden) return leave(span, hidden.why, hidden.write);
  if (HBS_RESERVED.has(name)) return leave(span, `'${name}' is a Handlebars keyword, not a variable name`);
  return env.loops.length || env.root ? `@root.${name}` : name;
}

const LOOP_FIELDS: Record<string, (iter: string) => string> = {
  index: () => '(add @index 1)',
  index0: () => '@index',
  first: () => '@first',
  last: () => '@last',
  length: (iter) => call('length', iter),
  revindex: (iter) => call('sub', call('length', iter), '@index'),
  revindex0: (iter) => call('sub', call('sub', call('length', iter), '@index'), '1'),
};

type Key = { text: string; path?: string };

/** `a.b[0]['c']` → the path `a.b.[0].c`; a computed key anywhere → `(at a.b key 'c')`. */
function printAccess(e: Expr, env: PrintEnv): string {
  const keys: { key: Expr | string; span: Expr }[] = [];
  let base: Expr = e;
  while (base.type === 'Getattr' || base.type === 'Getitem') {
    keys.unshift({ key: base.type === 'Getattr' ? base.attr : base.arg, span: base });
    base = base.node;
  }
  if (base.type === 'Name' && base.name === 'loop' && env.loops.length && !env.vars.has('loop')) {
    const field = keys[0].key;
    const fn = typeof field === 'string' ? LOOP_FIELDS[field] : undefined;
    if (!fn || keys.length > 1)
      return leave(
        e,
        `loop.${typeof field === 'string' ? field : '[...]'} has no Handlebars spelling`,
        'loop.index, index0, first, last, length',
      );
    return fn(env.loops[env.loops.length - 1].iter);
  }
  let head = printExpr(base, env);
  const isPath = !isCall(head) && !/^['"\d-]/.test(head) && !['true', 'false', 'null'].includes(head);
  const rest: Key[] = keys.map(({ key }) => keyOf(key, env));
  if (isPath) {
    while (rest.length && rest[0].path !== undefined) head += '.' + rest.shift()!.path;
  }
  if (!rest.length) return head;
  return call('at', head, ...rest.map((k) => k.text));
}

function keyOf(key: Expr | string, env: PrintEnv): Key {
  if (typeof key === 'string') {
    return { text: `'${key}'`, path: SIMPLE_KEY.test(key) && !HBS_RESERVED.has(key) ? key : `[${key}]` };
  }
  if (key.type === 'Const' && typeof key.value === 'string') {
    const k = key.value;
    const path = SIMPLE_KEY.test(k) && !HBS_RESERVED.has(k) ? k : k && !/[\]\s]/.test(k) ? `[${k}]` : undefined;
    return { text: str(k, key), path };
  }
  if (key.type === 'Const' && typeof key.value === 'number' && Number.isInteger(key.value))
    return { text: String(key.value), path: `[${key.value}]` };
  if (key.type === 'Unary' && key.op === '-' && key.node.type === 'Const' && typeof key.node.value === 'number')
    return { text: `-${key.node.value}`, path: `[-${key.node.value}]` };
  return { text: printExpr(key, env) };
}

const ARITH: Record<string, string> = {
  '+': 'plus',
  '-': 'sub',
  '*': 'mul',
  '/': 'div',
  '//': 'floordiv',
  '%': 'mod',
  '**': 'pow',
};

function isStringy(e: Expr): boolean {
  return (e.type === 'Const' && typeof e.value === 'string') || e.type === 'List' || e.type === 'Tuple';
}

/** Expressions whose value is always true or false (so `and` may return a boolean, as Jinja would). */
function isBoolean(e: Expr): boolean {
  if (e.type === 'Compare' || e.type === 'Test') return true;
  if (e.type === 'Unary') return e.op === 'not';
  if (e.type === 'Const') return typeof e.value === 'boolean';
  if (e.type === 'Binary' && (e.op === 'and' || e.op === 'or')) return isBoolean(e.left) && isBoolean(e.right);
  return false;
}

function printBinary(e: Extract<Expr, { type: 'Binary' }>, env: PrintEnv, bool: boolean): string {
  if (e.op === '~') {
    const parts: string[] = [];
    const flat = (x: Expr) => {
      if (x.type === 'Binary' && x.op === '~') {
        flat(x.left);
        flat(x.right);
      } else parts.push(printExpr(x, env));
    };
    flat(e);
    return call('pyconcat', ...parts);
  }
  if (e.op === 'or') return call('or', printExpr(e.left, env, bool), printExpr(e.right, env, bool));
  if (e.op === 'and') {
    const l = printExpr(e.left, env, bool);
    const r = printExpr(e.right, env, bool);
    // Jinja's `a and b` is a when a is false, else b; (and a b) gives true or false.
    return bool || (isBoolean(e.left) && isBoolean(e.right)) ? call('and', l, r) : call('if', l, r, l);
  }
  if (e.op === '%' && isStringy(e.left))
    return leave(e, "Python's %-formatting has no Handlebars helper", "join the parts with ~ (concat 'a' x)");
  if (e.op === '*' && (isStringy(e.left) || isStringy(e.right)))
    return leave(e, 'repeating a string or list with * has no Handlebars helper');
  return call(ARITH[e.op], printExpr(e.left, env), printExpr(e.right, env));
}

const COMPARE: Record<Exclude<CompareOp, 'in' | 'not in'>, string> = {
  '==': 'eq',
  '!=': 'ne',
  '<': 'lt',
  '<=': 'lte',
  '>': 'gt',
  '>=': 'gte',
};

function printCompare(e: Extract<Expr, { type: 'Compare' }>, env: PrintEnv): string {
  const tests: string[] = [];
  let left = printExpr(e.left, env);
  for (const { op, right } of e.ops) {
    const r = printExpr(right, env);
    if (op === 'in') tests.push(call('in', left, r));
    else if (op === 'not in') tests.push(call('not', call('in', left, r)));
    else tests.push(call(COMPARE[op], left, r));
    left = r;
  }
  return tests.length === 1 ? tests[0] : call('and', ...tests);
}
