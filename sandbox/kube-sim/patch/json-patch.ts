// RFC 6902 JSON Patch, as the API server applies it (evanphx/json-patch v4): written
// here rather than taken from a library so that failures carry that library's wording.

type Json = unknown;
type Container = Record<string, Json> | Json[];
export type JsonPatchOp = { op: string; path: string; from?: string; value?: Json };

/** A patch that decoded but does not apply to this document. */
export class PatchApplyError extends Error {}

function parsePointer(p: string): string[] {
  if (p === '') return [];
  if (!p.startsWith('/')) throw new PatchApplyError(`unable to parse path: ${JSON.stringify(p)}`);
  return p
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function isContainer(v: Json): v is Container {
  return typeof v === 'object' && v !== null;
}

/** The container holding the last segment of `path`, and that segment. */
function findParent(doc: Json, parts: string[]): { parent: Container; key: string } | undefined {
  let cur: Json = doc;
  for (const part of parts.slice(0, -1)) {
    if (!isContainer(cur)) return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : cur[part];
    if (cur === undefined) return undefined;
  }
  return isContainer(cur) ? { parent: cur, key: parts[parts.length - 1] } : undefined;
}

function index(arr: Json[], key: string, forAdd: boolean): number {
  if (forAdd && key === '-') return arr.length;
  const i = Number(key);
  if (!/^\d+$/.test(key) || i > arr.length || (!forAdd && i >= arr.length)) {
    throw new PatchApplyError(`Unable to access invalid index: ${key}: invalid index referenced`);
  }
  return i;
}

/** The value at path; undefined when the path leads nowhere. */
function get(doc: Json, path: string): Json {
  let cur: Json = doc;
  for (const part of parsePointer(path)) {
    if (!isContainer(cur)) return undefined;
    cur = Array.isArray(cur) ? cur[Number(part)] : cur[part];
  }
  return cur;
}

function add(doc: Json, path: string, value: Json, verb = 'add'): Json {
  const parts = parsePointer(path);
  if (parts.length === 0) return structuredClone(value);
  const loc = findParent(doc, parts);
  if (!loc)
    throw new PatchApplyError(`${verb} operation does not apply: doc is missing path: "${path}": missing value`);
  if (Array.isArray(loc.parent)) loc.parent.splice(index(loc.parent, loc.key, true), 0, structuredClone(value));
  else loc.parent[loc.key] = structuredClone(value);
  return doc;
}

function remove(doc: Json, path: string, verb = 'remove'): Json {
  const parts = parsePointer(path);
  const loc = findParent(doc, parts);
  if (!loc)
    throw new PatchApplyError(`${verb} operation does not apply: doc is missing path: "${path}": missing value`);
  if (Array.isArray(loc.parent)) loc.parent.splice(index(loc.parent, loc.key, false), 1);
  else {
    if (!Object.hasOwn(loc.parent, loc.key))
      throw new PatchApplyError(`Unable to remove nonexistent key: ${loc.key}: missing value`);
    delete loc.parent[loc.key];
  }
  return doc;
}

export function applyJsonPatch(document: Json, ops: JsonPatchOp[]): Json {
  let doc = structuredClone(document);
  for (const op of ops) {
    switch (op.op) {
      case 'add':
        doc = add(doc, op.path, op.value);
        break;
      case 'remove':
        doc = remove(doc, op.path);
        break;
      case 'replace': {
        if (get(doc, op.path) === undefined)
          throw new PatchApplyError(`replace operation does not apply: doc is missing key: ${op.path}: missing value`);
        doc = op.path === '' ? structuredClone(op.value) : add(remove(doc, op.path), op.path, op.value);
        break;
      }
      case 'move':
      case 'copy': {
        const v = get(doc, op.from ?? '');
        if (v === undefined)
          throw new PatchApplyError(
            `${op.op} operation does not apply: doc is missing from path: ${op.from}: missing value`,
          );
        if (op.op === 'move') doc = remove(doc, op.from ?? '', 'move');
        doc = add(doc, op.path, v, op.op);
        break;
      }
      case 'test':
        if (JSON.stringify(get(doc, op.path)) !== JSON.stringify(op.value)) {
          throw new PatchApplyError(`testing value ${op.path} failed: test failed`);
        }
        break;
      default:
        throw new PatchApplyError(`Unexpected kind: ${op.op}`);
    }
  }
  return doc;
}
