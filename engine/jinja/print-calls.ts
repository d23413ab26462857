// Filters, tests, methods and global functions → herdbook helpers with the same meaning.
// Each entry checks the arguments it can translate and leaves the rest with a reason.
import { leave } from './left.js';
import type { Expr, Kwarg } from './nodes.js';
import { call, str, type Print, type PrintEnv } from './print-base.js';

type Args = {
  subject: string;
  args: Expr[];
  kwargs: Kwarg[];
  env: PrintEnv;
  node: Expr;
  name: string;
  print: Print;
};

/** Positional or keyword argument `i` / `name`, printed; undefined when absent. */
function arg(a: Args, i: number, name?: string): string | undefined {
  const kw = name ? a.kwargs.find((k) => k.name === name) : undefined;
  const e = kw?.value ?? a.args[i];
  return e ? a.print(e, a.env) : undefined;
}

function argNode(a: Args, i: number, name?: string): Expr | undefined {
  return (name ? a.kwargs.find((k) => k.name === name)?.value : undefined) ?? a.args[i];
}

/** Only the listed keyword arguments and at most `max` positional ones; anything else is left. */
function only(a: Args, max: number, kwargs: string[] = []): void {
  const extra = a.kwargs.find((k) => !kwargs.includes(k.name));
  if (a.args.length > max || extra)
    leave(
      a.node,
      `${a.name} with ${extra ? `the argument ${extra.name}=` : `${a.args.length} arguments`} has no herdbook helper of the same meaning`,
    );
}

function literalString(e: Expr | undefined): string | undefined {
  return e && e.type === 'Const' && typeof e.value === 'string' ? e.value : undefined;
}

function isFalse(e: Expr | undefined): boolean {
  return !e || (e.type === 'Const' && (e.value === false || e.value === 0));
}

/** A Python regular expression as a JavaScript one, when it means the same there. */
function jsRegex(e: Expr | undefined, a: Args): string {
  const re = literalString(e);
  if (re === undefined)
    return leave(e ?? a.node, 'a regular expression computed at run time cannot be checked for JavaScript');
  if (/\(\?[aiLmsux]+\)|\\[AZ]|\(\?P=|\(\?#/.test(re))
    return leave(
      e!,
      'this Python regular expression syntax has no JavaScript equivalent',
      'rewrite it without inline flags, \\A, \\Z',
    );
  return re.replace(/\(\?P</g, '(?<');
}

/** A Python re.sub replacement (\1, \g<name>) in JavaScript's spelling ($1, $<name>). */
function jsReplacement(e: Expr | undefined): string {
  if (!e) return "''";
  const rep = literalString(e);
  if (rep === undefined) return leave(e, 'a replacement computed at run time cannot be checked for JavaScript');
  const js = rep
    .replace(/\$/g, '$$$$')
    .replace(/\\g<(\w+)>/g, (_m, g: string) => (/^\d+$/.test(g) ? `$${g}` : `$<${g}>`))
    .replace(/\\(\d+)/g, '$$$1');
  if (/\\/.test(js)) return leave(e, 'this replacement uses a Python escape with no JavaScript spelling');
  return str(js, e);
}

function groups(re: string): boolean {
  return /\((?!\?)|\(\?P?</.test(re.replace(/\\./g, ''));
}

const SAME: Record<string, string> = {
  lower: 'lower',
  upper: 'upper',
  trim: 'trim',
  capitalize: 'capitalize',
  title: 'title',
  length: 'length',
  count: 'length',
  first: 'first',
  last: 'last',
  unique: 'unique',
  reverse: 'reverse',
  float: 'float',
  b64encode: 'b64encode',
  b64decode: 'b64decode',
  basename: 'basename',
  dirname: 'dirname',
  from_json: 'from_json',
  from_yaml: 'from_yaml',
  quote: 'quote',
  abs: 'abs',
  min: 'min',
  max: 'max',
  sum: 'sum',
  flatten: 'flatten',
  dict2items: 'dict2items',
  items2dict: 'items2dict',
  bool: 'bool',
  int: 'int',
  string: 'string',
};

/** Filters `map('name')` may apply: the helper takes the item first, then the filter's arguments. */
export const MAPPABLE = new Set([
  'lower',
  'upper',
  'trim',
  'int',
  'float',
  'string',
  'bool',
  'length',
  'first',
  'last',
  'b64encode',
  'b64decode',
  'basename',
  'dirname',
  'quote',
  'capitalize',
  'title',
  'abs',
  'from_json',
  'regex_replace',
  'replace',
  'split',
  'join',
]);

/** Nodes whose value is always a list already (so `| list` changes nothing, `for` needs no iter). */
export function surelyList(e: Expr): boolean {
  if (e.type === 'List' || e.type === 'Tuple') return true;
  if (e.type === 'Filter')
    return ['map', 'select', 'reject', 'sort', 'unique', 'split', 'flatten', 'list', 'dict2items'].includes(
      fqcn(e.name),
    );
  if (e.type === 'Call' && e.node.type === 'Getattr')
    return ['keys', 'values', 'split', 'splitlines'].includes(e.node.attr);
  return e.type === 'Call' && e.node.type === 'Name' && e.node.name === 'range';
}

const FILTERS: Record<string, (a: Args) => string> = {
  list(a) {
    only(a, 0);
    // Python's list(): a list's items, a mapping's keys, a string's characters.
    return surelyList((a.node as Extract<Expr, { type: 'Filter' }>).node) ? a.subject : call('iter', a.subject);
  },
  default(a) {
    only(a, 2, ['default_value', 'boolean']);
    const v = arg(a, 0, 'default_value') ?? "''";
    const falsy = argNode(a, 1, 'boolean');
    return isFalse(falsy) ? call('default', a.subject, v) : call('default', a.subject, v, a.print(falsy!, a.env));
  },
  d: (a) => FILTERS.default(a),
  mandatory(a) {
    only(a, 0);
    // herdbook already refuses an undefined variable with its name: mandatory adds nothing.
    return a.subject;
  },
  join(a) {
    only(a, 1, ['d']);
    // Jinja joins with '' by default; herdbook's join with ','.
    return call('join', a.subject, arg(a, 0, 'd') ?? "''");
  },
  replace(a) {
    only(a, 2);
    return call('replace', a.subject, arg(a, 0)!, arg(a, 1) ?? "''");
  },
  split(a) {
    only(a, 1);
    const sep = arg(a, 0);
    return sep ? call('split', a.subject, sep) : call('split', a.subject);
  },
  ternary(a) {
    only(a, 2);
    return call('ternary', a.subject, arg(a, 0)!, arg(a, 1) ?? 'null');
  },
  combine(a) {
    only(a, 99);
    return call('merge', a.subject, ...a.args.map((x) => a.print(x, a.env)));
  },
  indent(a) {
    only(a, 2, ['width', 'first', 'blank']);
    if (!isFalse(argNode(a, 1, 'first')) || !isFalse(a.kwargs.find((k) => k.name === 'blank')?.value))
      return leave(a.node, "indent's first=True and blank=True have no herdbook helper");
    return call('indent', a.subject, arg(a, 0, 'width') ?? '4');
  },
  regex_replace(a) {
    only(a, 4, ['ignorecase', 'multiline']);
    const flags =
      'g' + (isFalse(argNode(a, 2, 'ignorecase')) ? '' : 'i') + (isFalse(argNode(a, 3, 'multiline')) ? '' : 'm');
    const re = str(jsRegex(argNode(a, 0), a), argNode(a, 0)!);
    const rep = jsReplacement(argNode(a, 1));
    return flags === 'g'
      ? call('regex_replace', a.subject, re, rep)
      : call('regex_replace', a.subject, re, rep, `flags='${flags}'`);
  },
  regex_search(a) {
    only(a, 1);
    const re = jsRegex(argNode(a, 0), a);
    if (groups(re))
      return leave(
        a.node,
        "regex_search with groups returns the whole match in Ansible, herdbook's the first group",
        'use (regex_search x re) without groups',
      );
    return call('regex_search', a.subject, str(re, argNode(a, 0)!));
  },
  hash(a) {
    only(a, 1);
    const algo = literalString(argNode(a, 0)) ?? 'sha1';
    if (algo !== 'sha256') return leave(a.node, `hash('${algo}') has no herdbook helper`, '(sha256 x)');
    return call('sha256', a.subject);
  },
  map(a) {
    const attr = a.kwargs.find((k) => k.name === 'attribute');
    if (attr) {
      if (a.args.length || a.kwargs.length > 1) return leave(a.node, "map's default= has no herdbook helper");
      return call('pluck', a.subject, a.print(attr.value, a.env));
    }
    const name = literalString(a.args[0]);
    if (!name || a.kwargs.length) return leave(a.node, 'map with a filter named at run time has no herdbook helper');
    const bare = name.replace(/^ansible\.builtin\./, '');
    if (!MAPPABLE.has(bare)) return leave(a.node, `map('${name}') needs a helper applied to each item`, 'write a loop');
    // The filter's own translation decides the helper and its arguments, applied to each item.
    const env: PrintEnv = { ...a.env, vars: new Map([...a.env.vars, ['__item__', '__item__']]) };
    const item: Expr = { type: 'Name', name: '__item__', start: a.node.start, end: a.node.end };
    const inner = printFilter(
      {
        ...{ type: 'Filter' as const, node: item, name: bare, args: a.args.slice(1), kwargs: [] },
        nameStart: a.node.start,
        start: a.node.start,
        end: a.node.end,
      },
      env,
      a.print,
    );
    const m = /^\((\S+) __item__(.*)\)$/.exec(inner);
    if (!m || m[2].includes('=')) return leave(a.node, `map('${name}') has no herdbook helper`);
    return call('map', a.subject, `'${m[1]}'`, ...(m[2] ? [m[2].trim()] : []));
  },
};

const TESTS: Record<string, (a: Args) => string> = {
  defined: (a) => call('defined', a.subject),
  undefined: (a) => call('not', call('defined', a.subject)),
  none: (a) => call('eq', a.subject, 'null'),
  string: (a) => call('is_string', a.subject),
  number: (a) => call('is_number', a.subject),
  truthy: (a) => call('not', call('not', a.subject)),
  falsy: (a) => call('not', a.subject),
  in: (a) => call('in', a.subject, arg(a, 0)!),
  sameas: (a) => call('eq', a.subject, arg(a, 0)!),
  version: versionTest,
  version_compare: versionTest,
  search: (a) => call('regex_match', a.subject, str(jsRegex(argNode(a, 0), a), argNode(a, 0)!)),
  regex: (a) => call('regex_match', a.subject, str(jsRegex(argNode(a, 0), a), argNode(a, 0)!)),
  match: (a) => call('regex_match', a.subject, str(`^(?:${jsRegex(argNode(a, 0), a)})`, argNode(a, 0)!)),
};

const VERSION_OPS: Record<string, string> = {
  '==': '==',
  '=': '==',
  eq: '==',
  '!=': '!=',
  '<>': '!=',
  ne: '!=',
  '<': '<',
  lt: '<',
  '<=': '<=',
  le: '<=',
  '>': '>',
  gt: '>',
  '>=': '>=',
  ge: '>=',
};

function versionTest(a: Args): string {
  only(a, 3, ['version', 'operator', 'strict', 'version_type']);
  if (a.kwargs.some((k) => k.name === 'version_type'))
    return leave(a.node, 'version_type has no herdbook equivalent: herdbook compares versions as k3s tags');
  const opNode = argNode(a, 1, 'operator');
  let op = "'=='";
  if (opNode) {
    const lit = literalString(opNode);
    if (lit === undefined || !VERSION_OPS[lit])
      return leave(opNode, 'the version operator must be a literal: <, <=, >, >=, ==, !=');
    op = `'${VERSION_OPS[lit]}'`;
  }
  return call('version_compare', a.subject, op, arg(a, 0, 'version')!);
}

const fqcn = (name: string) => name.replace(/^ansible\.(builtin|netcommon|utils)\./, '');

export function printFilter(e: Extract<Expr, { type: 'Filter' }>, env: PrintEnv, print: Print): string {
  const name = fqcn(e.name);
  const a: Args = { subject: print(e.node, env), args: e.args, kwargs: e.kwargs, env, node: e, name, print };
  const special = Object.prototype.hasOwnProperty.call(FILTERS, name) ? FILTERS[name] : undefined;
  if (special) return special(a);
  const same = Object.prototype.hasOwnProperty.call(SAME, name) ? SAME[name] : undefined;
  if (same) {
    only(a, 0);
    return call(same, a.subject);
  }
  return leave(
    { start: e.nameStart, end: e.end },
    `the filter '${e.name}' has no herdbook helper of the same meaning yet`,
  );
}

export function printTest(e: Extract<Expr, { type: 'Test' }>, env: PrintEnv, print: Print): string {
  const name = fqcn(e.name);
  const fn = Object.prototype.hasOwnProperty.call(TESTS, name) ? TESTS[name] : undefined;
  if (!fn) return leave(e, `the test '${e.name}' has no herdbook helper of the same meaning yet`);
  const out = fn({ subject: print(e.node, env), args: e.args, kwargs: e.kwargs, env, node: e, name, print });
  return e.negated ? call('not', out) : out;
}

/** Python string methods and Jinja's global functions. */
const METHODS: Record<string, (a: Args) => string> = {
  split: (a) => (only(a, 1), a.args.length ? call('split', a.subject, arg(a, 0)!) : call('split', a.subject)),
  splitlines: (a) => (only(a, 0), call('lines', a.subject)),
  strip: (a) => (only(a, 0), call('trim', a.subject)),
  lower: (a) => (only(a, 0), call('lower', a.subject)),
  upper: (a) => (only(a, 0), call('upper', a.subject)),
  startswith: (a) => (only(a, 1), call('startswith', a.subject, arg(a, 0)!)),
  endswith: (a) => (only(a, 1), call('endswith', a.subject, arg(a, 0)!)),
  replace: (a) => (only(a, 2), call('replace', a.subject, arg(a, 0)!, arg(a, 1)!)),
  keys: (a) => (only(a, 0), call('keys', a.subject)),
  values: (a) => (only(a, 0), call('values', a.subject)),
  join: (a) => (only(a, 1), call('join', arg(a, 0)!, a.subject)),
};

const GLOBALS: Record<string, (a: Args) => string> = {
  range: (a) => (only(a, 3), call('range', ...a.args.map((x) => a.print(x, a.env)))),
  lookup(a) {
    only(a, 2);
    if (literalString(a.args[0]) === 'env' && a.args.length === 2) return call('env', arg(a, 1)!);
    return leave(a.node, `lookup('${literalString(a.args[0]) ?? '?'}', ...) has no herdbook helper yet`);
  },
};

export function printCall(e: Extract<Expr, { type: 'Call' }>, env: PrintEnv, print: Print): string {
  if (e.dyn) return leave(e, '*args and **kwargs have no Handlebars spelling');
  if (e.node.type === 'Getattr') {
    const name = e.node.attr;
    const fn = Object.prototype.hasOwnProperty.call(METHODS, name) ? METHODS[name] : undefined;
    if (!fn) return leave(e, `the method .${name}() has no herdbook helper of the same meaning yet`);
    return fn({
      subject: print(e.node.node, env),
      args: e.args,
      kwargs: e.kwargs,
      env,
      node: e,
      name: `.${name}()`,
      print,
    });
  }
  if (e.node.type === 'Name') {
    const name = e.node.name;
    const fn = Object.prototype.hasOwnProperty.call(GLOBALS, name) ? GLOBALS[name] : undefined;
    if (!fn) return leave(e, `the function ${name}() has no herdbook helper of the same meaning yet`);
    return fn({ subject: '', args: e.args, kwargs: e.kwargs, env, node: e, name: `${name}()`, print });
  }
  return leave(e, 'calling a computed value has no Handlebars spelling');
}
