// Which fields a write added, changed or removed, as structured-merge-diff's TypedValue.Compare
// finds them: a path is one of FieldsV1's elements per level (`f:spec`, `k:{"name":"c"}`,
// `v:"x"`), joined by SEP. Leaves (scalars, atomic lists, maps and structs) count when added,
// removed or changed; struct fields, map entries and list items count when added or removed,
// which is why `f:labels` carries "." when the labels map itself is new.
import { defById } from '../openapi/index.js';
import type { Schema } from '../openapi/types.js';
import { isDeepStrictEqual } from 'node:util';

export const SEP = '\u0000';

export type Comparison = { added: Set<string>; modified: Set<string>; removed: Set<string> };

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const join = (path: string, el: string) => (path ? path + SEP + el : el);

function isLeaf(s: Schema): boolean {
  if (s.t === 'list') return !s.lt;
  if (s.t === 'map') return Boolean(s.atomic);
  if (s.t === 'ref') return Boolean(defById(s.ref).atomic);
  return true;
}

/** `k:{"name":"c"}` for an item of an associative list: its key fields, sorted by name. */
export function itemKey(item: unknown, keys: string[]): string {
  const o = isObj(item) ? item : {};
  const picked = Object.fromEntries(
    [...keys]
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => [k, o[k]]),
  );
  return `k:${JSON.stringify(picked)}`;
}

/** The children of a value, each with its path element and schema. */
function children(v: unknown, s: Schema): Map<string, { value: unknown; schema: Schema }> {
  const out = new Map<string, { value: unknown; schema: Schema }>();
  if (s.t === 'ref' && isObj(v)) {
    const def = defById(s.ref);
    for (const [k, x] of Object.entries(v)) if (def.props[k]) out.set(`f:${k}`, { value: x, schema: def.props[k] });
  } else if (s.t === 'map' && isObj(v)) {
    for (const [k, x] of Object.entries(v)) out.set(`f:${k}`, { value: x, schema: s.of });
  } else if (s.t === 'list' && Array.isArray(v)) {
    for (const x of v)
      out.set(s.lt === 'map' ? itemKey(x, s.keys ?? []) : `v:${JSON.stringify(x)}`, {
        value: x,
        schema: s.lt === 'map' ? s.of : { t: 'any' },
      });
  }
  return out;
}

export function compare(oldValue: unknown, newValue: unknown, root: Schema): Comparison {
  const c: Comparison = { added: new Set(), modified: new Set(), removed: new Set() };
  const walk = (l: unknown, r: unknown, s: Schema, path: string) => {
    if (isLeaf(s)) {
      if (l === undefined && r !== undefined) c.added.add(path);
      else if (r === undefined && l !== undefined) c.removed.add(path);
      else if (!isDeepStrictEqual(l, r)) c.modified.add(path);
      return;
    }
    const lc = children(l, s);
    const rc = children(r, s);
    for (const el of new Set([...lc.keys(), ...rc.keys()])) {
      const a = lc.get(el);
      const b = rc.get(el);
      const p = join(path, el);
      walk(a?.value, b?.value, (b ?? a)!.schema, p);
      if (!a) c.added.add(p);
      else if (!b) c.removed.add(p);
    }
  };
  walk(oldValue, newValue, root, '');
  return c;
}

/** Every field a value sets (toFieldSet): what an apply patch claims. */
export function fieldSet(value: unknown, root: Schema): Set<string> {
  return compare(undefined, value, root).added;
}
