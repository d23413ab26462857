// Strategic merge patch (k8s.io/apimachinery/pkg/util/strategicpatch): a merge patch whose
// lists merge by a key where the Go types say so (`patchMergeKey`), with the `$patch`,
// `$retainKeys`, `$deleteFromPrimitiveList/` and `$setElementOrder/` directives.
import { isPlainObject } from './merge-patch.js';

/** How a list at a dotted path (list items add no segment) is merged; absent means "replace". */
export type ListStrategy = { mergeKey: string } | { primitive: true };
export type PatchMeta = Record<string, ListStrategy>;

type Obj = Record<string, unknown>;

export class StrategicPatchError extends Error {}

export function applyStrategicPatch(original: unknown, patch: unknown, meta: PatchMeta): unknown {
  if (!isPlainObject(patch))
    throw new StrategicPatchError('json: cannot unmarshal array into Go value of type map[string]interface {}');
  return mergeMap(isPlainObject(original) ? original : {}, patch, '', meta);
}

const join = (path: string, k: string) => (path ? `${path}.${k}` : k);

function mergeMap(original: Obj, patch: Obj, path: string, meta: PatchMeta): Obj {
  if (patch.$patch === 'replace') return strip(patch) as Obj;
  const out: Obj = structuredClone(original);
  const retain = patch.$retainKeys;
  if (Array.isArray(retain)) for (const k of Object.keys(out)) if (!retain.includes(k)) delete out[k];
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith('$setElementOrder/')) continue;
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      const field = k.slice('$deleteFromPrimitiveList/'.length);
      if (Array.isArray(out[field]) && Array.isArray(v))
        out[field] = (out[field] as unknown[]).filter((x) => !v.includes(x));
      continue;
    }
    const p = join(path, k);
    if (v === null) delete out[k];
    else if (isPlainObject(v) && v.$patch === 'delete') delete out[k];
    else if (isPlainObject(v)) out[k] = mergeMap(isPlainObject(out[k]) ? out[k] : {}, v, p, meta);
    else if (Array.isArray(v)) out[k] = mergeList(Array.isArray(out[k]) ? (out[k] as unknown[]) : [], v, p, meta);
    else out[k] = v;
  }
  for (const [k, order] of Object.entries(patch)) {
    if (!k.startsWith('$setElementOrder/') || !Array.isArray(order)) continue;
    const field = k.slice('$setElementOrder/'.length);
    if (Array.isArray(out[field])) out[field] = reorder(out[field] as unknown[], order, meta[join(path, field)]);
  }
  return out;
}

function mergeList(original: unknown[], patch: unknown[], path: string, meta: PatchMeta): unknown[] {
  const strategy = meta[path];
  if (!strategy) return strip(patch) as unknown[];
  if ('primitive' in strategy) {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  const key = strategy.mergeKey;
  if (patch.some((e) => isPlainObject(e) && e.$patch === 'replace')) {
    return strip(patch.filter((e) => !(isPlainObject(e) && e.$patch === 'replace'))) as unknown[];
  }
  const out = structuredClone(original);
  for (const el of patch) {
    if (!isPlainObject(el))
      throw new StrategicPatchError(
        `unable to find api field in struct for the list ${path}: elements must be objects`,
      );
    const at = out.findIndex((o) => isPlainObject(o) && o[key] === el[key]);
    if (el.$patch === 'delete') {
      if (at >= 0) out.splice(at, 1);
    } else if (at >= 0) out[at] = mergeMap(out[at] as Obj, el, path, meta);
    else out.push(strip(el));
  }
  return out;
}

function reorder(list: unknown[], order: unknown[], strategy: ListStrategy | undefined): unknown[] {
  const id = (v: unknown) => (strategy && 'mergeKey' in strategy && isPlainObject(v) ? v[strategy.mergeKey] : v);
  const ordered = order
    .map((o) => list.find((v) => JSON.stringify(id(v)) === JSON.stringify(id(o))))
    .filter((v) => v !== undefined);
  return [...ordered, ...list.filter((v) => !(ordered as unknown[]).includes(v))];
}

/** A patch fragment without directives, as it is stored. */
function strip(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(strip);
  if (!isPlainObject(v)) return v;
  const out: Obj = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = strip(x);
  return out;
}
