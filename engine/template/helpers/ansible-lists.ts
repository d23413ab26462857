// Ansible's and Jinja's list and mapping filters with their meaning, for translated Jinja:
// select/reject/selectattr/rejectattr by test name, combine (recursive, list_merge), dictsort,
// zip, zip_longest, product, subelements, extract and the set operations, which keep order.
import type { HelperFn } from '../evaluate.js';
import { LazyVars, MISSING, step } from '../scope.js';
import { truthy } from '../truthy.js';
import { deepEqual } from './compare.js';
import { runTest } from './ansible-tests.js';
import { tuple } from './pyprint.js';
import { asText } from '../../text.js';

type Obj = Record<string, unknown>;
const isMapping = (v: unknown): v is Obj | LazyVars =>
  v instanceof LazyVars || (!!v && typeof v === 'object' && !Array.isArray(v));
const obj = (v: unknown): Obj => (v instanceof LazyVars ? v.toJSON() : (v as Obj));

function items(v: unknown, what: string): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return [...v];
  if (isMapping(v)) return Object.keys(obj(v));
  throw new Error(`${what} needs a list, got ${v === null ? 'None' : typeof v}`);
}

/** `a.b.0`: Jinja's attribute path (a dotted name, digits index lists); undefined when missing. */
export function attribute(item: unknown, path: unknown): unknown {
  let cur = item;
  for (const k of asText(path).split('.')) {
    const next: unknown =
      Array.isArray(cur) && /^\d+$/.test(k) ? ((cur as unknown[])[Number(k)] ?? MISSING) : step(cur, k);
    if (next === MISSING) return undefined;
    cur = next;
  }
  return cur;
}

/** Order-keeping uniqueness by Python equality. */
function uniq(list: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const x of list) if (!out.some((y) => deepEqual(x, y))) out.push(x);
  return out;
}

function has(list: unknown[], x: unknown): boolean {
  return list.some((y) => deepEqual(x, y));
}

/** Ansible's merge_hash: b over a, mappings merged when recursive, lists as list_merge says. */
function mergeHash(a: Obj, b: Obj, recursive: boolean, listMerge: string): Obj {
  const out: Obj = { ...a };
  for (const [k, bv] of Object.entries(b)) {
    const av: unknown = out[k];
    if (recursive && isMapping(av) && isMapping(bv)) out[k] = mergeHash(obj(av), obj(bv), true, listMerge);
    else if (Array.isArray(av) && Array.isArray(bv) && listMerge !== 'replace') {
      const [x, y] = [av as unknown[], bv as unknown[]];
      if (listMerge === 'keep') out[k] = x;
      else if (listMerge === 'append') out[k] = [...x, ...y];
      else if (listMerge === 'prepend') out[k] = [...y, ...x];
      else if (listMerge === 'append_rp') out[k] = [...x.filter((i) => !has(y, i)), ...y];
      else if (listMerge === 'prepend_rp') out[k] = [...y, ...x.filter((i) => !has(y, i))];
      else throw new Error(`list_merge must be replace, keep, append, prepend, append_rp or prepend_rp`);
    } else out[k] = bv;
  }
  return out;
}

/** Jinja's sort key: strings lower-cased unless case_sensitive. */
function sortKey(v: unknown, h: Obj): unknown {
  const x = h.attribute === undefined ? v : attribute(v, h.attribute);
  return typeof x === 'string' && h.case_sensitive !== true ? x.toLowerCase() : x;
}

function pyCompare(a: unknown, b: unknown): number {
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const c = pyCompare(a[i], b[i]);
      if (c) return c;
    }
    return a.length - b.length;
  }
  const num = (x: unknown) => typeof x === 'number' || typeof x === 'boolean';
  if (!(num(a) && num(b)) && !(typeof a === 'string' && typeof b === 'string'))
    throw new Error(`cannot order ${typeof a} and ${typeof b}`);
  return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
}

function filterBy(keep: boolean, byAttr: boolean): HelperFn {
  return ([v, ...rest], h) => {
    const list = items(v, 'select/reject');
    const [attr, test, ...args] = byAttr ? rest : [undefined, ...rest];
    return list.filter((x) => {
      const value = byAttr ? attribute(x, attr) : x;
      const ok = test === undefined ? truthy(value) : runTest(test, value, args, h);
      return ok === keep;
    });
  };
}

export const ansibleListHelpers: Record<string, HelperFn> = {
  // A Jinja mapping literal whose keys are not plain names: key, value, key, value...
  dict_pairs: (args) => {
    const out: Obj = {};
    for (let i = 0; i + 1 < args.length; i += 2) out[String(args[i])] = args[i + 1];
    return out;
  },
  // dict.items(): [key, value] pairs in the mapping's order.
  items: ([v]) => {
    if (!isMapping(v)) throw new Error('.items() needs a mapping');
    return Object.entries(obj(v)).map(tuple);
  },
  // dict.get(key, default): the value when the key exists (even None), else the default (None).
  dict_get: ([v, k, d]) => {
    const got = step(v, String(k));
    return got === MISSING ? (d ?? null) : got;
  },
  select: filterBy(true, false),
  reject: filterBy(false, false),
  selectattr: filterBy(true, true),
  rejectattr: filterBy(false, true),
  combine: (args, h) => {
    const recursive = h.recursive === true;
    const listMerge = asText(h.list_merge ?? 'replace');
    // combine([a, b]) takes a list of mappings too.
    const dicts = args.flatMap((a): unknown[] => (Array.isArray(a) ? (a as unknown[]) : [a]));
    return dicts.reduce<Obj>((acc, d, i) => {
      if (!isMapping(d)) throw new Error(`combine: argument ${i + 1} is not a mapping`);
      return mergeHash(acc, obj(d), recursive, listMerge);
    }, {});
  },
  dictsort: ([v], h) => {
    if (!isMapping(v)) throw new Error('dictsort needs a mapping');
    const by = h.by === 'value' ? 1 : 0;
    const pairs = Object.entries(obj(v)).map((p) => tuple(p) as [string, unknown]);
    pairs.sort((a, b) => pyCompare(sortKey(a[by], h), sortKey(b[by], h)));
    return h.reverse === true ? pairs.reverse() : pairs;
  },
  // (sort_by x reverse= case_sensitive= attribute=): Jinja's sort, case-insensitive by default.
  sort_by: ([v], h) => {
    const list = [...items(v, 'sort')];
    list.sort((a, b) => pyCompare(sortKey(a, h), sortKey(b, h)));
    return h.reverse === true ? list.reverse() : list;
  },
  // Jinja's unique: the first of equal items; strings compared case-insensitively by default.
  unique_by: ([v], h) => {
    const seen: unknown[] = [];
    const out: unknown[] = [];
    for (const x of items(v, 'unique')) {
      const key = sortKey(x, h);
      if (!has(seen, key)) {
        seen.push(key);
        out.push(x);
      }
    }
    return out;
  },
  min_by: ([v], h) => items(v, 'min').reduce((a, b) => (pyCompare(sortKey(b, h), sortKey(a, h)) < 0 ? b : a)),
  max_by: ([v], h) => items(v, 'max').reduce((a, b) => (pyCompare(sortKey(b, h), sortKey(a, h)) > 0 ? b : a)),
  sum_of: ([v], h) =>
    items(v, 'sum').reduce<unknown>((acc, x) => {
      const y = h.attribute === undefined ? x : attribute(x, h.attribute);
      if (Array.isArray(acc) && Array.isArray(y)) return [...(acc as unknown[]), ...(y as unknown[])];
      return Number(acc) + Number(y);
    }, h.start ?? 0),
  // Ansible's flatten(levels=, skip_nulls=True).
  flatten_by: ([v], h) => {
    const levels = h.levels === undefined || h.levels === null ? Infinity : Number(h.levels);
    const skip = h.skip_nulls !== false;
    const go = (list: unknown[], depth: number): unknown[] =>
      list.flatMap((x) => {
        if (skip && (x === null || x === undefined || x === 'None')) return [];
        return Array.isArray(x) && depth < levels ? go(x, depth + 1) : [x];
      });
    return go(items(v, 'flatten'), 0);
  },
  zip: (args) => {
    const lists = args.map((a) => items(a, 'zip'));
    const n = Math.min(...lists.map((l) => l.length));
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => l[i])));
  },
  zip_longest: (args, h) => {
    const lists = args.map((a) => items(a, 'zip_longest'));
    const n = Math.max(0, ...lists.map((l) => l.length));
    const fill = h.fillvalue ?? null;
    return Array.from({ length: n }, (_x, i) => tuple(lists.map((l) => (i < l.length ? l[i] : fill))));
  },
  product: (args) =>
    args
      .map((a) => items(a, 'product'))
      .reduce<unknown[][]>((acc, l) => acc.flatMap((p) => l.map((x) => [...p, x])), [[]])
      .map(tuple),
  subelements: ([v, key], h) => {
    const out: unknown[][] = [];
    for (const item of items(v, 'subelements')) {
      const sub = attribute(item, key);
      if (sub === undefined) {
        if (h.skip_missing === true) continue;
        throw new Error(`could not find '${String(key)}' key in iterated item`);
      }
      if (!Array.isArray(sub)) throw new Error(`the key ${String(key)} should point to a list`);
      for (const s of sub) out.push(tuple([item, s]));
    }
    return out;
  },
  extract: ([item, container, morekeys]) => {
    let v = step(container, String(item));
    if (v === MISSING) throw new Error(`extract: ${JSON.stringify(item)} is not in the container`);
    for (const k of morekeys === undefined ? [] : Array.isArray(morekeys) ? morekeys : [morekeys]) {
      v = step(v, String(k));
      if (v === MISSING) throw new Error(`extract: no key ${JSON.stringify(k)}`);
    }
    return v;
  },
  union: ([a, b]) => uniq([...items(a, 'union'), ...items(b, 'union')]),
  intersect: ([a, b]) => uniq(items(a, 'intersect').filter((x) => has(items(b, 'intersect'), x))),
  difference: ([a, b]) => uniq(items(a, 'difference').filter((x) => !has(items(b, 'difference'), x))),
  symmetric_difference: ([a, b]) => {
    const x = items(a, 'symmetric_difference');
    const y = items(b, 'symmetric_difference');
    return uniq([...x, ...y].filter((i) => !(has(x, i) && has(y, i))));
  },
};
