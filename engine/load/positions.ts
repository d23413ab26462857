// Source positions travel with the loaded values themselves, under a symbol that
// JSON, Object.keys and ajv never see; every later stage can point at file:line:col.
import type { SourcePos } from '../errors.js';

export const POSITIONS = Symbol('herdbook.positions');

export type NodeInfo = {
  pos: SourcePos;
  /** For mappings: where each key is written, and where its value starts. */
  keys?: Record<string, SourcePos>;
  values?: Record<string, SourcePos>;
  /** For sequences: where each item starts. */
  items?: SourcePos[];
};

type Positioned = { [POSITIONS]?: NodeInfo };

export function attachInfo(target: object, info: NodeInfo): void {
  Object.defineProperty(target, POSITIONS, { value: info, enumerable: false, configurable: true });
}

export function infoOf(value: unknown): NodeInfo | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return (value as Positioned)[POSITIONS];
}

export function posOf(value: unknown): SourcePos | undefined {
  return infoOf(value)?.pos;
}

export function keyPos(obj: unknown, key: string): SourcePos | undefined {
  return infoOf(obj)?.keys?.[key] ?? posOf(obj);
}

export function valuePos(container: unknown, key: string | number): SourcePos | undefined {
  const info = infoOf(container);
  if (!info) return undefined;
  if (typeof key === 'number') return info.items?.[key] ?? info.pos;
  return info.values?.[key] ?? info.keys?.[key] ?? info.pos;
}

/**
 * The position of the value at `path` under `root`, or of the nearest ancestor that has one.
 * `atKey` points at the last segment's key instead of its value (unknown keys).
 */
export function pathPos(root: unknown, path: readonly (string | number)[], atKey = false): SourcePos | undefined {
  let node: unknown = root;
  let best = posOf(root);
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (node === null || typeof node !== 'object') break;
    const last = i === path.length - 1;
    const here = Array.isArray(node)
      ? valuePos(node, Number(seg))
      : last && atKey
        ? keyPos(node, String(seg))
        : valuePos(node, String(seg));
    if (here) best = here;
    node = (node as Record<string, unknown>)[seg as string];
  }
  return best;
}

/** Copy positions from one object to another (after a transformation that built a new object). */
export function copyInfo<T extends object>(from: unknown, to: T): T {
  const info = infoOf(from);
  if (info) attachInfo(to, info);
  return to;
}
