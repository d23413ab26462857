// Python string methods (`s.split(',')`) and Jinja's global functions (`lookup`, `range`)
// → herdbook helpers with the same meaning.
import { leave } from './left.js';
import type { Expr } from './nodes.js';
import { arg, literalString, only, type Args } from './print-args.js';
import { call, type Print, type PrintEnv } from './print-base.js';

/** Python string methods and Jinja's global functions. */
const METHODS: Record<string, (a: Args) => string> = {
  split: (a) => (only(a, 1), a.args.length ? call('split', a.subject, arg(a, 0)!) : call('split', a.subject)),
  splitlines: (a) => (only(a, 0), call('lines', a.subject)),
  strip: (a) => (only(a, 1), a.args.length ? call('py_strip', a.subject, arg(a, 0)!) : call('trim', a.subject)),
  lstrip: (a) => (only(a, 1), call('py_strip', a.subject, arg(a, 0) ?? 'null', "side='left'")),
  rstrip: (a) => (only(a, 1), call('py_strip', a.subject, arg(a, 0) ?? 'null', "side='right'")),
  items: (a) => (only(a, 0), call('items', a.subject)),
  index: (a) => (only(a, 1), call('index_of', a.subject, arg(a, 0)!)),
  get: (a) => (only(a, 2), call('dict_get', a.subject, arg(a, 0)!, ...(a.args[1] ? [arg(a, 1)!] : []))),
  format: (a) =>
    call(
      'str_format',
      a.subject,
      ...a.args.map((x) => a.print(x, a.env)),
      ...a.kwargs.map((k) => `${k.name}=${a.print(k.value, a.env)}`),
    ),
  lower: (a) => (only(a, 0), call('lower', a.subject)),
  upper: (a) => (only(a, 0), call('upper', a.subject)),
  startswith: (a) => (only(a, 1), call('startswith', a.subject, arg(a, 0)!)),
  endswith: (a) => (only(a, 1), call('endswith', a.subject, arg(a, 0)!)),
  replace: (a) => (only(a, 2), call('replace', a.subject, arg(a, 0)!, arg(a, 1)!)),
  keys: (a) => (only(a, 0), call('keys', a.subject)),
  values: (a) => (only(a, 0), call('values', a.subject)),
  join: (a) => (only(a, 1), call('join_str', arg(a, 0)!, a.subject)),
};

const GLOBALS: Record<string, (a: Args) => string> = {
  range: (a) => (only(a, 3), call('range', ...a.args.map((x) => a.print(x, a.env)))),
  lookup: (a) => printLookup(a, false),
  query: (a) => printLookup(a, true),
  q: (a) => printLookup(a, true),
};

/** Lookups run by the lookup/query helpers (engine/template/helpers/lookups.ts): on the controller, along the task's search path. */
const CONTROLLER_LOOKUPS = new Set(['file', 'template', 'first_found', 'fileglob', 'pipe', 'lines']);
/** Their options, as keyword arguments. */
const LOOKUP_OPTIONS = new Set(['wantlist', 'rstrip', 'lstrip', 'files', 'paths', 'skip', 'template_vars', 'subdir']);

/** lookup('env', 'X') / query('vars', 'x'): a lookup of one term, as its value or (query) a list. */
function printLookup(a: Args, list: boolean): string {
  const plugin = literalString(a.args[0])?.replace(/^ansible\.builtin\./, '');
  const wantlist =
    list || a.kwargs.some((k) => k.name === 'wantlist' && k.value.type === 'Const' && k.value.value === true);
  if (plugin && CONTROLLER_LOOKUPS.has(plugin)) {
    const bad = a.kwargs.find((k) => !LOOKUP_OPTIONS.has(k.name));
    if (bad) return leave(bad.value, `lookup('${plugin}')'s option ${bad.name}= has no herdbook meaning`);
    const terms = a.args.slice(1).map((x) => a.print(x, a.env));
    const opts = a.kwargs.filter((k) => k.name !== 'wantlist').map((k) => `${k.name}=${a.print(k.value, a.env)}`);
    return call(wantlist ? 'ansible_query' : 'ansible_lookup', `'${plugin}'`, ...terms, ...opts);
  }
  if (a.args.length !== 2)
    return leave(a.node, `lookup('${plugin ?? '?'}') with ${a.args.length - 1} terms has no herdbook helper`);
  let value: string;
  if (plugin === 'env') {
    only(a, 2, ['wantlist']);
    // An unset variable is '' for the env lookup, not undefined.
    value = call('env', arg(a, 1)!, "''");
  } else if (plugin === 'vars') {
    only(a, 2, ['default', 'wantlist']);
    const got = call('at', '@root', arg(a, 1)!);
    const dflt = a.kwargs.find((k) => k.name === 'default');
    value = dflt ? call('default', got, a.print(dflt.value, a.env)) : got;
  } else return leave(a.node, `lookup('${plugin ?? '?'}', ...) has no herdbook helper`);
  return wantlist ? call('list', value) : value;
}

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
    const hidden = env.hidden?.get(name);
    if (hidden) return leave(e, hidden.why, hidden.write);
    const fn = Object.prototype.hasOwnProperty.call(GLOBALS, name) ? GLOBALS[name] : undefined;
    if (!fn) return leave(e, `the function ${name}() has no herdbook helper of the same meaning yet`);
    return fn({ subject: '', args: e.args, kwargs: e.kwargs, env, node: e, name: `${name}()`, print });
  }
  return leave(e, 'calling a computed value has no Handlebars spelling');
}
