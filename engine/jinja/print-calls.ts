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
