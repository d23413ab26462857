// Helpers with the meaning Jinja and Python give these operations, for expressions translated
// from Ansible (engine/jinja): `x[k]` (at), `+` (plus), `//` (floordiv), `%` (mod), `**` (pow),
// slices, `for x in y` (iter), and the filters herdbook had no helper for.
import { TemplateError } from '../../errors.js';
import type { HelperFn } from '../evaluate.js';
import { LazyVars, MISSING, step } from '../scope.js';

function kind(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return 'a list';
  if (v instanceof LazyVars || typeof v === 'object') return 'a mapping';
  return `a ${typeof v}`;
}

function isMapping(v: unknown): v is Record<string, unknown> | LazyVars {
  return v instanceof LazyVars || (!!v && typeof v === 'object' && !Array.isArray(v));
}

/** One subscript: a mapping's key, a list's or a string's index (negative from the end). */
function subscript(container: unknown, key: unknown): unknown {
  if (typeof container === 'string' && typeof key === 'number' && Number.isInteger(key)) {
    const c = container.at(key);
    return c === undefined ? MISSING : c;
  }
  if (Array.isArray(container) && typeof key !== 'number') return MISSING;
  if (typeof key !== 'string' && typeof key !== 'number' && typeof key !== 'boolean') return MISSING;
  return step(container, String(key));
}

function numbers(name: string, a: unknown, b: unknown): [number, number] {
  if (typeof a !== 'number' || typeof b !== 'number')
    throw new Error(`(${name} a b) needs two numbers, got ${kind(a)} and ${kind(b)}`);
  return [a, b];
}

export const pythonHelpers: Record<string, HelperFn> = {
  // (at x k1 k2 ...): x[k1][k2]; a missing key is an undefined variable, so (default (at ...) y) works.
  at: ([container, ...keys]) => {
    let cur = container;
    let shown = '';
    for (const k of keys) {
      const next = subscript(cur, k);
      shown += `[${JSON.stringify(k)}]`;
      if (next === MISSING) {
        const has = isMapping(cur) ? (cur instanceof LazyVars ? cur.keys() : Object.keys(cur)) : [];
        throw new TemplateError(
          `undefined variable: the value${shown.slice(0, -JSON.stringify(k).length - 2)} (${kind(cur)}) has no ${JSON.stringify(k)}`,
          {
            hint: has.length ? `it has: ${has.slice(0, 10).join(', ')}${has.length > 10 ? ', ...' : ''}` : undefined,
            variable: shown,
            code: 'E_UNDEFINED',
          },
        );
      }
      cur = next;
    }
    return cur;
  },
  // Python's +: numbers add, strings and lists concatenate, anything else is an error.
  plus: ([a, b]) => {
    if (typeof a === 'number' && typeof b === 'number') return a + b;
    if (typeof a === 'string' && typeof b === 'string') return a + b;
    if (Array.isArray(a) && Array.isArray(b)) return [...(a as unknown[]), ...(b as unknown[])];
    throw new Error(`cannot add ${kind(a)} and ${kind(b)}: convert one first, e.g. (string x) or (int x)`);
  },
  floordiv: ([a, b]) => {
    const [x, y] = numbers('floordiv', a, b);
    if (y === 0) throw new Error('division by zero');
    return Math.floor(x / y);
  },
  // Python's %: the result takes the sign of the divisor.
  mod: ([a, b]) => {
    const [x, y] = numbers('mod', a, b);
    if (y === 0) throw new Error('modulo by zero');
    return ((x % y) + y) % y;
  },
  pow: ([a, b]) => {
    const [x, y] = numbers('pow', a, b);
    return x ** y;
  },
  abs: ([a]) => Math.abs(numbers('abs', a, 0)[0]),
  // (slice x start stop step), null for a missing bound: Python's x[start:stop:step].
  slice: ([v, start, stop, stepBy]) => {
    const items = typeof v === 'string' ? [...v] : Array.isArray(v) ? v : undefined;
    if (!items) throw new Error(`(slice x ...) needs a list or a string, got ${kind(v)}`);
    const n = items.length;
    const st = stepBy === null || stepBy === undefined ? 1 : Number(stepBy);
    if (!Number.isInteger(st) || st === 0) throw new Error('slice step must be a non-zero integer');
    const clamp = (x: unknown, dflt: number, lo: number, hi: number) => {
      if (x === null || x === undefined) return dflt;
      let i = Number(x);
      if (i < 0) i += n;
      return Math.min(Math.max(i, lo), hi);
    };
    const out: unknown[] = [];
    if (st > 0) for (let i = clamp(start, 0, 0, n); i < clamp(stop, n, 0, n); i += st) out.push(items[i]);
    else for (let i = clamp(start, n - 1, -1, n - 1); i > clamp(stop, -1, -1, n - 1); i += st) out.push(items[i]);
    return typeof v === 'string' ? out.join('') : out;
  },
  reverse: ([v]) => {
    if (typeof v === 'string') return [...v].reverse().join('');
    if (Array.isArray(v)) return [...(v as unknown[])].reverse();
    throw new Error(`(reverse x) needs a list or a string, got ${kind(v)}`);
  },
  capitalize: ([s]) => {
    const t = String(s);
    return t.charAt(0).toUpperCase() + t.slice(1).toLowerCase();
  },
  // Jinja's title: each word (split at spaces, '-', and opening brackets) upper case first, the rest lower.
  title: ([s]) =>
    String(s)
      .split(/([-\s({[<]+)/)
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase())
      .join(''),
  // Python's iteration: a list's items, a mapping's keys, a string's characters.
  iter: ([v]) => {
    if (Array.isArray(v)) return v as unknown[];
    if (typeof v === 'string') return [...v];
    if (v instanceof LazyVars) return v.keys();
    if (isMapping(v)) return Object.keys(v);
    throw new Error(`cannot iterate over ${kind(v)}`);
  },
  dict2items: ([v], h) => {
    if (!isMapping(v)) throw new Error(`(dict2items x) needs a mapping, got ${kind(v)}`);
    const o = v instanceof LazyVars ? v.toJSON() : v;
    const [k, val] = names(h);
    return Object.entries(o).map(([key, value]) => ({ [k]: key, [val]: value }));
  },
  items2dict: ([v], h) => {
    if (!Array.isArray(v)) throw new Error(`(items2dict x) needs a list, got ${kind(v)}`);
    const [k, val] = names(h);
    return Object.fromEntries(v.map((i: Record<string, unknown>) => [String(i[k]), i[val]]));
  },
};

/** dict2items' and items2dict's key_name= and value_name=. */
function names(h: Record<string, unknown>): [string, string] {
  const k = h.key_name ?? 'key';
  const v = h.value_name ?? 'value';
  if (typeof k !== 'string' || typeof v !== 'string') throw new Error('key_name and value_name are strings');
  return [k, v];
}

/** (map list 'helper' args...): the helper applied to each item, as Jinja's map('filter'). */
export function mapHelper(helpers: () => Readonly<Record<string, HelperFn>>): HelperFn {
  return ([v, name, ...args], hash, scope) => {
    if (!Array.isArray(v)) throw new Error(`(map x 'helper') needs a list, got ${kind(v)}`);
    const fn = Object.prototype.hasOwnProperty.call(helpers(), String(name)) ? helpers()[String(name)] : undefined;
    if (!fn) throw new Error(`(map x '${String(name)}'): no helper named ${String(name)}`);
    return v.map((item) => fn([item, ...args], hash, scope));
  };
}
