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
  reverse: 'reverse',
  b64encode: 'b64encode',
  b64decode: 'b64decode',
  basename: 'basename',
  dirname: 'dirname',
  from_json: 'from_json',
  from_yaml: 'from_yaml',
  quote: 'shlex_quote',
  abs: 'abs',
  // Jinja's meaning, where herdbook's helper of the filter's name has another (see ansible-text.ts).
  float: 'to_float',
  bool: 'to_bool',
  string: 'pystr',
  regex_escape: 'regex_escape',
  splitext: 'splitext',
  zip: 'zip',
  product: 'product',
  difference: 'difference',
  union: 'union',
  intersect: 'intersect',
  symmetric_difference: 'symmetric_difference',
};

/** Filters with keyword arguments only: Jinja's name → helper, and the positional arguments' names. */
const KEYWORDS: Record<string, [string, string[]]> = {
  unique: ['unique_by', ['case_sensitive', 'attribute']],
  sort: ['sort_by', ['reverse', 'case_sensitive', 'attribute']],
  min: ['min_by', ['case_sensitive', 'attribute']],
  max: ['max_by', ['case_sensitive', 'attribute']],
  sum: ['sum_of', ['attribute', 'start']],
  flatten: ['flatten_by', ['levels', 'skip_nulls']],
  dictsort: ['dictsort', ['case_sensitive', 'by', 'reverse']],
  dict2items: ['dict2items', ['key_name', 'value_name']],
  items2dict: ['items2dict', ['key_name', 'value_name']],
  to_json: ['pyjson', ['indent', 'sort_keys', 'ensure_ascii']],
  to_nice_json: ['pyjson_nice', ['indent', 'sort_keys', 'ensure_ascii']],
  to_yaml: ['pyyaml', ['indent']],
};

/** Jinja's and Ansible's test names, for select/reject/selectattr/rejectattr (engine/template/helpers/ansible-tests.ts). */
const TEST_NAMES = new Set(
  (
    'defined undefined none truthy falsy string number integer float boolean mapping iterable sequence odd even ' +
    'divisibleby eq ne lt le gt ge in contains match search regex subset superset failed succeeded success changed ' +
    'skipped version equalto == != < <= > >= lessthan greaterthan sameas version_compare issubset issuperset ' +
    'successful skip change failure'
  ).split(' '),
);

/** Filters `map('name')` may apply: the helper takes the item first, then the filter's arguments. */
export const MAPPABLE = new Set([
  'lower',
  'upper',
  'trim',
  'int',
  'to_int',
  'to_float',
  'to_bool',
  'pystr',
  'reverse',
  'unique',
  'regex_escape',
  'hash',
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
  'join_str',
  'extract',
  'ipaddr',
  'ipv4',
  'ipv6',
  'ipwrap',
]);

/** Nodes whose value is always a list already (so `| list` changes nothing, `for` needs no iter). */
export function surelyList(e: Expr): boolean {
  if (e.type === 'List' || e.type === 'Tuple') return true;
  if (e.type === 'Filter')
    return [
      'map',
      'select',
      'reject',
      'selectattr',
      'rejectattr',
      'sort',
      'unique',
      'split',
      'flatten',
      'list',
      'dict2items',
      'dictsort',
      'zip',
      'zip_longest',
      'product',
      'subelements',
      'difference',
      'union',
      'intersect',
      'symmetric_difference',
      'regex_findall',
    ].includes(fqcn(e.name));
  if (e.type === 'Call' && e.node.type === 'Getattr')
    return ['keys', 'values', 'split', 'splitlines'].includes(e.node.attr);
  return e.type === 'Call' && e.node.type === 'Name' && e.node.name === 'range';
}

/** Filters with one optional positional argument, the same helper name. */
const ONE_ARG = new Set(['ipaddr', 'ipv4', 'ipv6', 'ipwrap', 'json_query']);

/** The ipaddr queries the helper answers (engine/template/helpers/ansible-ipaddr.ts); also a network or a number. */
const IPADDR_QUERIES = new Set(
  (
    'address ip host network network_id netmask hostmask broadcast prefix cidr subnet size version bool private ' +
    'public ipv4 ipv6 v4 v6 wrap'
  ).split(' '),
);

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
    only(a, 2, ['d', 'attribute']);
    // Jinja joins with '' by default and prints each item with str(); herdbook's join with ',' and JSON.
    const attr = arg(a, 1, 'attribute');
    return call('join_str', a.subject, arg(a, 0, 'd') ?? "''", ...(attr ? [`attribute=${attr}`] : []));
  },
  int(a) {
    only(a, 2, ['default', 'base']);
    const d = arg(a, 0, 'default');
    const base = arg(a, 1, 'base');
    return call('to_int', a.subject, ...(d || base ? [d ?? '0'] : []), ...(base ? [base] : []));
  },
  combine(a) {
    only(a, 99, ['recursive', 'list_merge']);
    const kw = a.kwargs.map((k) => `${k.name}=${a.print(k.value, a.env)}`);
    return call('combine', a.subject, ...a.args.map((x) => a.print(x, a.env)), ...kw);
  },
  select: (a) => selectLike(a, 'select', false),
  reject: (a) => selectLike(a, 'reject', false),
  selectattr: (a) => selectLike(a, 'selectattr', true),
  rejectattr: (a) => selectLike(a, 'rejectattr', true),
  zip_longest(a) {
    only(a, 9, ['fillvalue']);
    const fill = a.kwargs.find((k) => k.name === 'fillvalue');
    const lists = a.args.map((x) => a.print(x, a.env));
    return call('zip_longest', a.subject, ...lists, ...(fill ? [`fillvalue=${a.print(fill.value, a.env)}`] : []));
  },
  regex_findall(a) {
    only(a, 3, ['ignorecase', 'multiline']);
    const re = str(jsRegex(argNode(a, 0), a), argNode(a, 0)!);
    const flags = ['ignorecase', 'multiline'].flatMap((n, i) => {
      const v = arg(a, i + 1, n);
      return v === undefined ? [] : [`${n}=${v}`];
    });
    return call('regex_findall', a.subject, re, ...flags);
  },
  subelements(a) {
    only(a, 2, ['skip_missing']);
    const skip = argNode(a, 1, 'skip_missing');
    // subelements('key', {'skip_missing': True}) is the older spelling.
    const flag = skip?.type === 'Dict' ? skip.pairs.find((p) => literalString(p.key) === 'skip_missing')?.value : skip;
    return call('subelements', a.subject, arg(a, 0)!, ...(flag ? [`skip_missing=${a.print(flag, a.env)}`] : []));
  },
  extract(a) {
    only(a, 2, ['morekeys']);
    return call('extract', a.subject, arg(a, 0)!, ...(argNode(a, 1, 'morekeys') ? [arg(a, 1, 'morekeys')!] : []));
  },
  to_nice_yaml(a) {
    only(a, 0, ['indent']);
    const indent = arg(a, 0, 'indent');
    return call('pyyaml', a.subject, 'nice=true', ...(indent ? [`indent=${indent}`] : []));
  },
  password_hash(a) {
    only(a, 4, ['hashtype', 'salt', 'salt_size', 'rounds']);
    const type = argNode(a, 0, 'hashtype');
    const name = type ? literalString(type) : 'sha512';
    if (name === undefined || !['sha512', 'sha256', 'sha512_crypt', 'sha256_crypt'].includes(name))
      return leave(
        type ?? a.node,
        `password_hash(${name === undefined ? 'a computed type' : `'${name}'`}) has no herdbook helper: only sha512 and sha256 (SHA-crypt)`,
        "use password_hash('sha512')",
      );
    const kw = ['salt', 'salt_size', 'rounds'].flatMap((n, i) => {
      const v = arg(a, i + 1, n);
      return v === undefined ? [] : [`${n}=${v}`];
    });
    return call('password_hash', a.subject, `'${name}'`, ...kw);
  },
  random(a) {
    only(a, 3, ['start', 'step', 'seed']);
    const kw = ['start', 'step', 'seed'].flatMap((n, i) => {
      const v = arg(a, i, n);
      return v === undefined ? [] : [`${n}=${v}`];
    });
    return call('py_random', a.subject, ...kw);
  },
  format: (a) => (only(a, 99), call('format', a.subject, ...a.args.map((x) => a.print(x, a.env)))),
  round(a) {
    only(a, 2, ['precision', 'method']);
    const p = arg(a, 0, 'precision');
    const m = arg(a, 1, 'method');
    return call('round', a.subject, ...(p || m ? [p ?? '0'] : []), ...(m ? [m] : []));
  },
  regex_escape(a) {
    only(a, 1, ['re_type']);
    const t = literalString(argNode(a, 0, 're_type'));
    if (t !== undefined && t !== 'python') return leave(a.node, `regex_escape('${t}') has no herdbook helper`);
    return call('regex_escape', a.subject);
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
    only(a, 3, ['true_val', 'false_val', 'none_val']);
    const t = arg(a, 0, 'true_val')!;
    const f = arg(a, 1, 'false_val') ?? 'null';
    const n = arg(a, 2, 'none_val');
    return n ? call('ternary3', a.subject, t, f, n) : call('ternary', a.subject, t, f);
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
    only(a, 9, ['ignorecase', 'multiline']);
    const re = jsRegex(argNode(a, 0), a);
    // '\\1' and '\\g<name>' ask for groups (a list); without them Ansible gives the whole match.
    const wanted = a.args.slice(1).map((g) => {
      const m = /^\\(?:(\d+)|g<(\w+)>)$/.exec(literalString(g) ?? '');
      if (!m) return leave(g, "regex_search's extra arguments are groups: '\\1' or '\\g<name>'");
      return m[1] ?? `'${m[2]}'`;
    });
    const flags = a.kwargs.map((k) => `${k.name}=${a.print(k.value, a.env)}`);
    const extra = wanted.length ? [`groups=${call('list', ...wanted)}`] : groups(re) ? ['whole=true'] : [];
    return call('regex_search', a.subject, str(re, argNode(a, 0)!), ...extra, ...flags);
  },
  hash(a) {
    only(a, 1, ['hashtype']);
    return call('hash', a.subject, arg(a, 0, 'hashtype') ?? "'sha1'");
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
    const item_ = { value: '__item__', rooted: '__item__', depth: a.env.loops.length };
    const env: PrintEnv = { ...a.env, vars: new Map([...a.env.vars, ['__item__', item_]]) };
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

/** select('test', args) / selectattr('attr', 'test', args): the test named by a literal. */
function selectLike(a: Args, helper: string, byAttr: boolean): string {
  only(a, 9);
  const testAt = byAttr ? 1 : 0;
  const test = a.args[testAt];
  if (test) {
    const name = literalString(test);
    if (name === undefined || !TEST_NAMES.has(fqcn(name)))
      return leave(test, `${helper} with the test ${name ?? '(computed)'} has no herdbook helper`);
  }
  const args = a.args.map((x, i) => (i === testAt ? `'${fqcn(literalString(x)!)}'` : a.print(x, a.env)));
  return call(helper, a.subject, ...args);
}

export function printFilter(e: Extract<Expr, { type: 'Filter' }>, env: PrintEnv, print: Print): string {
  const name = fqcn(e.name);
  const a: Args = { subject: print(e.node, env), args: e.args, kwargs: e.kwargs, env, node: e, name, print };
  const special = Object.prototype.hasOwnProperty.call(FILTERS, name) ? FILTERS[name] : undefined;
  if (special) return special(a);
  const same = Object.prototype.hasOwnProperty.call(SAME, name) ? SAME[name] : undefined;
  if (same) {
    // Only the list filters take more values (zip(b, c), union(b)); the rest none.
    only(a, ['zip', 'product', 'difference', 'union', 'intersect', 'symmetric_difference'].includes(name) ? 9 : 0);
    return call(same, a.subject, ...a.args.map((x) => a.print(x, a.env)));
  }
  if (ONE_ARG.has(name)) {
    only(a, 1, name === 'json_query' ? ['expr'] : ['query']);
    const qNode = argNode(a, 0, name === 'json_query' ? 'expr' : 'query');
    const lit = literalString(qNode);
    if (name !== 'json_query' && lit && !IPADDR_QUERIES.has(lit) && !/^-?\d+$|^[\d.:a-fA-F]+(\/\d+)?$/.test(lit))
      return leave(qNode!, `${name}('${lit}') has no herdbook helper: the basic queries only`);
    const q = arg(a, 0, name === 'json_query' ? 'expr' : 'query');
    return call(name, a.subject, ...(q ? [q] : []));
  }
  const kw = Object.prototype.hasOwnProperty.call(KEYWORDS, name) ? KEYWORDS[name] : undefined;
  if (kw) {
    const [helper, names] = kw;
    only(a, names.length, names);
    const pairs = names.flatMap((n, i) => {
      const v = arg(a, i, n);
      return v === undefined ? [] : [`${n}=${v}`];
    });
    return call(helper, a.subject, ...pairs);
  }
  return leave(
    { start: e.nameStart, end: e.end },
    `the filter '${e.name}' has no herdbook helper of the same meaning yet`,
  );
}
