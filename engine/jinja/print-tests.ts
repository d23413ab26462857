// Jinja and Ansible tests (`x is defined`, `v is version('1.28', '>=')`) → herdbook helpers.
import { leave } from './left.js';
import type { Expr } from './nodes.js';
import { arg, argNode, fqcn, jsRegex, literalString, only, type Args } from './print-args.js';
import { call, str, type Print, type PrintEnv } from './print-base.js';
import { VERSION_OPERATORS } from './version-operators.js';

/** Tests the generic (is 'name' x args...) helper runs with Jinja's and Ansible's meaning. */
const GENERIC = new Set(
  (
    'mapping iterable sequence integer float boolean odd even divisibleby subset superset issubset issuperset ' +
    'failed failure succeeded success successful changed change skipped skip eq ne lt le gt ge equalto ' +
    'lessthan greaterthan contains number'
  ).split(' '),
);

const TESTS: Record<string, (a: Args) => string> = {
  defined: (a) => call('defined', a.subject),
  undefined: (a) => call('not', call('defined', a.subject)),
  none: (a) => call('eq', a.subject, 'null'),
  string: (a) => call('is_string', a.subject),
  truthy: (a) => (only(a, 0), call('not', call('not', a.subject))),
  falsy: (a) => (only(a, 0), call('not', a.subject)),
  in: (a) => call('in', a.subject, arg(a, 0)!),
  sameas: (a) => call('eq', a.subject, arg(a, 0)!),
  version: versionTest,
  version_compare: versionTest,
  search: (a) => regexTest(a, ''),
  regex: (a) => regexTest(a, ''),
  match: (a) => regexTest(a, '^'),
};

/** match (anchored at the start), search and regex, with ignorecase=/multiline=. */
function regexTest(a: Args, anchor: string): string {
  only(a, 1, ['ignorecase', 'multiline']);
  const re = jsRegex(argNode(a, 0), a);
  const flags = a.kwargs.map((k) => `${k.name}=${a.print(k.value, a.env)}`);
  return call('is', anchor ? "'match'" : "'search'", a.subject, str(re, argNode(a, 0)!), ...flags);
}

/** Ansible's version test: LooseVersion, or StrictVersion with strict=True / version_type='strict'. */
function versionTest(a: Args): string {
  only(a, 3, ['version', 'operator', 'strict', 'version_type']);
  const type = literalString(argNode(a, 99, 'version_type'));
  if (type !== undefined && type !== 'loose' && type !== 'strict')
    return leave(a.node, `version_type='${type}' has no herdbook helper`, "version_type 'loose' or 'strict'");
  const opNode = argNode(a, 1, 'operator');
  let op = "'=='";
  if (opNode) {
    const lit = literalString(opNode);
    if (lit === undefined || !VERSION_OPERATORS[lit])
      return leave(opNode, 'the version operator must be a literal: <, <=, >, >=, ==, !=');
    op = `'${VERSION_OPERATORS[lit]}'`;
  }
  const strict = arg(a, 2, 'strict');
  const extra = [...(strict ? [`strict=${strict}`] : []), ...(type ? [`version_type='${type}'`] : [])];
  return call('is', "'version'", a.subject, arg(a, 0, 'version')!, op, ...extra);
}

export function printTest(e: Extract<Expr, { type: 'Test' }>, env: PrintEnv, print: Print): string {
  const name = fqcn(e.name);
  const special = Object.prototype.hasOwnProperty.call(TESTS, name) ? TESTS[name] : undefined;
  const fn =
    special ??
    (GENERIC.has(name)
      ? (a: Args) => call('is', `'${name}'`, a.subject, ...a.args.map((x) => a.print(x, a.env)))
      : undefined);
  if (!fn) return leave(e, `the test '${e.name}' has no herdbook helper of the same meaning yet`);
  const out = fn({ subject: print(e.node, env), args: e.args, kwargs: e.kwargs, env, node: e, name, print });
  return e.negated ? call('not', out) : out;
}
