// FieldsV1, the JSON form of a field set: a tree of path elements, `{}` for a member leaf and
// "." for a member that also has members below it; children in structured-merge-diff's order
// (fields by name, then keys, values, indexes).
import { SEP } from './compare.js';

interface Tree {
  [element: string]: Tree;
}

const KIND_ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function order(a: string, b: string): number {
  if (a === '.' || b === '.') return a === '.' ? -1 : 1;
  return (KIND_ORDER[a[0]] ?? 9) - (KIND_ORDER[b[0]] ?? 9) || (a < b ? -1 : a > b ? 1 : 0);
}

export function encodeFields(paths: Iterable<string>): Tree {
  const members = new Set(paths);
  const root: Tree = {};
  for (const p of members) {
    let node = root;
    for (const el of p.split(SEP)) node = node[el] ??= {};
  }
  const render = (node: Tree, path: string): Tree => {
    const keys = Object.keys(node).sort(order);
    const out: Tree = {};
    if (keys.length && path && members.has(path)) out['.'] = {};
    for (const k of keys) out[k] = render(node[k], path ? path + SEP + k : k);
    return out;
  };
  return render(root, '');
}

export function decodeFields(tree: unknown): Set<string> {
  const out = new Set<string>();
  const walk = (node: unknown, path: string) => {
    if (typeof node !== 'object' || node === null) return;
    const keys = Object.keys(node);
    if (path && (keys.length === 0 || keys.includes('.'))) out.add(path);
    for (const k of keys) if (k !== '.') walk((node as Tree)[k], path ? path + SEP + k : k);
  };
  walk(tree, '');
  return out;
}
