// How a `{{ }}` inside text prints. Ansible writes a value with Python's str(): `True`, `None` as
// nothing, a list as `['a', 1]`, a float as `1.0`; herdbook's own templates print `true` and JSON.
// So a translated output whose value may not be a string is wrapped in (pystr x): the helper
// prints as Python does, and herdbook's own playbooks, which never call it, print as before.
import type { Expr } from './nodes.js';
import { fqcn } from './print-args.js';

/** Filters whose result is always a string. */
const STRING_FILTERS = new Set([
  'lower',
  'upper',
  'trim',
  'capitalize',
  'title',
  'replace',
  'regex_replace',
  'regex_escape',
  'join',
  'to_json',
  'to_nice_json',
  'to_yaml',
  'to_nice_yaml',
  'b64encode',
  'b64decode',
  'basename',
  'dirname',
  'quote',
  'string',
  'hash',
  'password_hash',
  'format',
  'indent',
]);
const STRING_METHODS = new Set(['strip', 'lstrip', 'rstrip', 'lower', 'upper', 'replace', 'format', 'join']);

/** Whether an expression's value is a string whatever the variables hold (so it prints as itself). */
export function surelyString(e: Expr): boolean {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- any other node: not known
  switch (e.type) {
    case 'Const':
      return typeof e.value === 'string';
    case 'Binary':
      return e.op === '~' || (e.op === '+' && (surelyString(e.left) || surelyString(e.right)));
    case 'Filter':
      return STRING_FILTERS.has(fqcn(e.name));
    case 'Call':
      return e.node.type === 'Getattr' && STRING_METHODS.has(e.node.attr);
    case 'CondExpr':
      return surelyString(e.then) && !!e.otherwise && surelyString(e.otherwise);
    default:
      return false;
  }
}

/** Whether an expression's value is a Python float (printed `2.0`, where JavaScript has only 2). */
export function surelyFloat(e: Expr): boolean {
  // eslint-disable-next-line @typescript-eslint/switch-exhaustiveness-check -- any other node: not known
  switch (e.type) {
    case 'Const':
      return typeof e.value === 'number' && !!e.float;
    case 'Filter':
      return ['float', 'round'].includes(fqcn(e.name));
    case 'Unary':
      return e.op !== 'not' && surelyFloat(e.node);
    case 'Binary':
      if (e.op === '/') return true;
      return ['+', '-', '*', '**', '%'].includes(e.op) && (surelyFloat(e.left) || surelyFloat(e.right));
    case 'CondExpr':
      return surelyFloat(e.then) && !!e.otherwise && surelyFloat(e.otherwise);
    default:
      return false;
  }
}
