// Jinja's and Ansible's tests with their meaning, for translated Jinja: as helpers
// ((succeeded r), (is_mapping x)) and by name for select/reject/selectattr/rejectattr.
import type { HelperFn } from '../evaluate.js';
import { LazyVars } from '../scope.js';
import { truthy } from '../truthy.js';
import { versionOperator } from '../../versions.js';
import { comparePyVersions } from './py-versions.js';
import { asText } from '../../text.js';
import { deepEqual, membership } from './compare.js';
import { VERSION_OPERATORS } from '../../jinja/index.js';

const isMapping = (v: unknown) => v instanceof LazyVars || (!!v && typeof v === 'object' && !Array.isArray(v));
const field = (r: unknown, k: string) => (isMapping(r) ? (r as Record<string, unknown>)[k] : undefined);

/** A registered result's status, as Ansible's succeeded/failed/changed/skipped tests read it. */
function failed(r: unknown): boolean {
  if (!isMapping(r)) throw new Error('the failed/succeeded test needs a registered result (a mapping)');
  return truthy(field(r, 'failed'));
}

function subset(a: unknown, b: unknown): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) throw new Error('subset/superset need two lists');
  return a.every((x) => membership(x, b));
}

function search(s: unknown, re: unknown, anchored: 'start' | 'full' | 'none', h: Record<string, unknown>): boolean {
  const flags = (h.ignorecase === true ? 'i' : '') + (h.multiline === true ? 'm' : '');
  const src = String(re);
  const pattern = anchored === 'start' ? `^(?:${src})` : anchored === 'full' ? `^(?:${src})$` : src;
  return new RegExp(pattern, flags).test(String(s));
}

/** Tests by their Jinja name: (value, args, hash) → boolean. */
export const TESTS: Record<string, (v: unknown, args: unknown[], h: Record<string, unknown>) => boolean> = {
  defined: (v) => v !== undefined,
  undefined: (v) => v === undefined,
  none: (v) => v === null,
  truthy: (v) => truthy(v),
  falsy: (v) => !truthy(v),
  string: (v) => typeof v === 'string',
  // Python's bool is a number too.
  number: (v) => typeof v === 'number' || typeof v === 'boolean',
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => typeof v === 'number' && !Number.isInteger(v),
  boolean: (v) => typeof v === 'boolean',
  mapping: (v) => isMapping(v),
  iterable: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isMapping(v),
  odd: (v) => Number(v) % 2 === 1 || Number(v) % 2 === -1,
  even: (v) => Number(v) % 2 === 0,
  divisibleby: (v, [n]) => Number(v) % Number(n) === 0,
  eq: (v, [x]) => deepEqual(v, x),
  ne: (v, [x]) => !deepEqual(v, x),
  lt: (v, [x]) => (v as number) < (x as number),
  le: (v, [x]) => (v as number) <= (x as number),
  gt: (v, [x]) => (v as number) > (x as number),
  ge: (v, [x]) => (v as number) >= (x as number),
  in: (v, [x]) => membership(v, x),
  contains: (v, [x]) => membership(x, v),
  match: (v, [re], h) => search(v, re, 'start', h),
  search: (v, [re], h) => search(v, re, 'none', h),
  regex: (v, [re], h) => search(v, re, h.match_type === 'match' ? 'start' : 'none', h),
  subset: (v, [x]) => subset(v, x),
  superset: (v, [x]) => subset(x, v),
  failed: (r) => failed(r),
  succeeded: (r) => !failed(r),
  success: (r) => !failed(r),
  changed: (r) => {
    if (!isMapping(r)) throw new Error('the changed test needs a registered result (a mapping)');
    return truthy(field(r, 'changed'));
  },
  skipped: (r) => {
    if (!isMapping(r)) throw new Error('the skipped test needs a registered result (a mapping)');
    return truthy(field(r, 'skipped'));
  },
  version: (v, [want, op], h) => {
    const test = versionOperator(VERSION_OPERATORS[asText(op ?? 'eq')] ?? '');
    if (!test) throw new Error(`unknown version operator ${JSON.stringify(op)}`);
    const type = h.strict === true || h.version_type === 'strict' ? 'strict' : 'loose';
    return test(comparePyVersions(String(v), String(want), type));
  },
};
for (const [alias, name] of [
  ['equalto', 'eq'],
  ['==', 'eq'],
  ['!=', 'ne'],
  ['<', 'lt'],
  ['<=', 'le'],
  ['>', 'gt'],
  ['>=', 'ge'],
  ['lessthan', 'lt'],
  ['greaterthan', 'gt'],
  ['sameas', 'eq'],
  ['version_compare', 'version'],
  ['issubset', 'subset'],
  ['issuperset', 'superset'],
  ['successful', 'succeeded'],
  ['skip', 'skipped'],
  ['change', 'changed'],
  ['failure', 'failed'],
])
  TESTS[alias] = TESTS[name];

export function runTest(name: unknown, v: unknown, args: unknown[], h: Record<string, unknown>): boolean {
  const fn = Object.prototype.hasOwnProperty.call(TESTS, String(name)) ? TESTS[String(name)] : undefined;
  if (!fn) throw new Error(`no test named '${String(name)}'`);
  return fn(v, args, h);
}

/** (is 'test' value args...): one Jinja test, for `x is succeeded` and the like. */
export const testHelpers: Record<string, HelperFn> = {
  is: ([name, v, ...args], h) => runTest(name, v, args, h),
};
