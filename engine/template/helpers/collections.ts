// List and mapping helpers: (length x), (join list ","), (first list), (keys map), (pluck list "name").
import type { HelperFn } from '../evaluate.js';
import { LazyVars, MISSING, step } from '../scope.js';
import { asText } from '../../text.js';

function list(v: unknown, helper: string): unknown[] {
  if (Array.isArray(v)) return v;
  throw new Error(`(${helper} ...) needs a list, got ${v === null ? 'null' : typeof v}`);
}

function mapping(v: unknown, helper: string): Record<string, unknown> {
  if (v instanceof LazyVars) return v.toJSON();
  if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
  throw new Error(
    `(${helper} ...) needs a mapping, got ${Array.isArray(v) ? 'a list' : v === null ? 'null' : typeof v}`,
  );
}

function field(item: unknown, path: string): unknown {
  let v: unknown = item;
  for (const k of path.split('.'))
    v =
      v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, k)
        ? (v as Record<string, unknown>)[k]
        : undefined;
  return v;
}

export const collectionHelpers: Record<string, HelperFn> = {
  length: ([v]) => {
    if (typeof v === 'string' || Array.isArray(v)) return v.length;
    if (v instanceof LazyVars) return v.keys().length;
    if (v && typeof v === 'object') return Object.keys(v).length;
    throw new Error(`(length x) needs a list, string or mapping, got ${v === null ? 'null' : typeof v}`);
  },
  join: ([v, sep]) =>
    list(v, 'join')
      .map(String)
      .join(sep === undefined ? ',' : asText(sep)),
  first: ([v]) => (typeof v === 'string' ? v[0] : list(v, 'first')[0]) ?? null,
  last: ([v]) => (typeof v === 'string' ? v[v.length - 1] : list(v, 'last').at(-1)) ?? null,
  keys: ([v]) => Object.keys(mapping(v, 'keys')),
  values: ([v]) => Object.values(mapping(v, 'values')),
  lookup: ([v, k]) => {
    if (v instanceof LazyVars) return v.lookup(String(k));
    if (v && typeof v === 'object' && Object.prototype.hasOwnProperty.call(v, String(k)))
      return (v as Record<string, unknown>)[String(k)];
    return undefined;
  },
  // (get hostvars host "cluster.server_version"): a key that is itself a variable, then a path; undefined when missing.
  get: ([v, key, path]) => {
    let cur: unknown = v;
    for (const k of [String(key), ...(path === undefined ? [] : asText(path).split('.'))]) {
      const next = step(cur, k);
      if (next === MISSING) return undefined;
      cur = next;
    }
    return cur;
  },
  list: (args) => args,
  dict: (_args, hash) => ({ ...hash }),
  merge: (args) => Object.fromEntries(args.flatMap((a, i) => Object.entries(mapping(a, `merge (argument ${i + 1})`)))),
  pluck: ([v, path]) => list(v, 'pluck').map((x) => field(x, String(path))),
  where: ([v, path, value]) =>
    list(v, 'where').filter((x) =>
      value === undefined ? Boolean(field(x, String(path))) : field(x, String(path)) === value,
    ),
  unique: ([v]) => [...new Set(list(v, 'unique'))],
  sort: ([v, path]) =>
    [...list(v, 'sort')].sort((a, b) => {
      const x = path === undefined ? a : field(a, asText(path));
      const y = path === undefined ? b : field(b, asText(path));
      return x === y ? 0 : (x as number) < (y as number) ? -1 : 1;
    }),
  flatten: ([v]) => list(v, 'flatten').flat(Infinity),
  range: ([a, b, s]) => {
    const [start, end] = b === undefined ? [0, Number(a)] : [Number(a), Number(b)];
    const st = Number(s ?? 1);
    const out: number[] = [];
    for (let i = start; st > 0 ? i < end : i > end; i += st) out.push(i);
    return out;
  },
  min: ([v]) => Math.min(...list(v, 'min').map(Number)),
  max: ([v]) => Math.max(...list(v, 'max').map(Number)),
  sum: ([v]) => list(v, 'sum').reduce((a: number, b) => a + Number(b), 0),
};
