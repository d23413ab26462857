// Jinja and Ansible filters → herdbook helpers with the same meaning; each entry checks the
// arguments it can translate and leaves the rest with a reason.
import { leave } from './left.js';
import type { Expr } from './nodes.js';
import {
  arg,
  argNode,
  fqcn,
  groups,
  isFalse,
  jsRegex,
  jsReplacement,
  literalString,
  only,
  type Args,
} from './print-args.js';
import { call, str, type Print, type PrintEnv } from './print-base.js';

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
