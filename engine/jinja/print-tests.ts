// Jinja and Ansible tests (`x is defined`, `v is version('1.28', '>=')`) → herdbook helpers.
import { leave } from './left.js';
import type { Expr } from './nodes.js';
import { arg, argNode, fqcn, jsRegex, literalString, only, type Args } from './print-args.js';
import { call, str, type Print, type PrintEnv } from './print-base.js';

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

export function printTest(e: Extract<Expr, { type: 'Test' }>, env: PrintEnv, print: Print): string {
  const name = fqcn(e.name);
  const fn = Object.prototype.hasOwnProperty.call(TESTS, name) ? TESTS[name] : undefined;
  if (!fn) return leave(e, `the test '${e.name}' has no herdbook helper of the same meaning yet`);
  const out = fn({ subject: print(e.node, env), args: e.args, kwargs: e.kwargs, env, node: e, name, print });
  return e.negated ? call('not', out) : out;
}
