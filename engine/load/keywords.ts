// Reading the keywords shared by plays, blocks and tasks out of a raw mapping.
import type { SourcePos } from '../errors.js';
import { INHERITED_KEYS, type Inheritable, type Located, type RoleInfo } from './model.js';
import { infoOf, posOf } from './positions.js';
import { asText } from '../text.js';

export function tagList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  const list = Array.isArray(v) ? v : asText(v).split(',');
  return list.map((t) => String(t).trim()).filter(Boolean);
}

/** notify/listen names; values of another type were reported by the schema check and are skipped. */
export function nameList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

export function inheritable(raw: Record<string, unknown>): Inheritable {
  const out: Inheritable = { tags: tagList(raw.tags) };
  for (const [key, field] of Object.entries(INHERITED_KEYS)) {
    if (key === 'tags' || raw[key] === undefined) continue;
    (out as Record<string, unknown>)[field] = raw[key];
  }
  if (out.vars !== undefined && (out.vars === null || typeof out.vars !== 'object')) out.vars = undefined;
  return out;
}

export function located(raw: unknown, file: string, role?: RoleInfo): Located {
  const info = infoOf(raw);
  return {
    pos: posOf(raw) ?? { file, line: 1, col: 1 },
    fieldPos: { ...(info?.values ?? {}), ...prefixKeys(info?.keys) },
    role,
  };
}

/** Key positions as `key:<name>`, for errors about a key itself rather than its value. */
function prefixKeys(keys: Record<string, SourcePos> | undefined): Record<string, SourcePos> {
  const out: Record<string, SourcePos> = {};
  for (const [k, v] of Object.entries(keys ?? {})) out[`key:${k}`] = v;
  return out;
}
