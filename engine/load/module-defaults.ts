// module_defaults, as Ansible applies them: a play's, its blocks' and a task's own, outer to
// inner, each naming a module (ansible.builtin.x and ansible.legacy.x are x). For each module the
// innermost entry replaces the outer ones whole (ansible-core 2.14 does not merge two levels'
// entries argument by argument), and the task's own arguments win over that entry's.
import { attachInfo, infoOf } from './positions.js';

const FQCN = /^ansible\.(?:builtin|legacy)\.(.+)$/;

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** `ansible.builtin.copy` → `copy`; other names as written. */
export function defaultsModuleName(key: string): string {
  return FQCN.exec(key)?.[1] ?? key;
}

/** One level's mappings as written: a mapping, or a list of them (Ansible accepts both). Others were reported by the schema. */
export function defaultsMappings(raw: unknown): Record<string, unknown>[] {
  if (isMap(raw)) return [raw];
  if (Array.isArray(raw)) return raw.filter(isMap);
  return [];
}

/**
 * The entry for `module` from levels outer → inner (each level a play's, block's or task's
 * `module_defaults` as written), or undefined when none names it. The entry is the mapping as
 * written, positions and all.
 */
export function moduleDefaultsFor(levels: readonly unknown[], module: string): Record<string, unknown> | undefined {
  let found: Record<string, unknown> | undefined;
  for (const level of levels)
    for (const mapping of defaultsMappings(level))
      for (const [key, entry] of Object.entries(mapping)) {
        if (defaultsModuleName(key) !== module) continue;
        // `copy:` with nothing after it: an entry that sets nothing (and still replaces an outer one).
        found = isMap(entry) ? entry : {};
      }
  return found;
}

/**
 * A task's arguments with the module's defaults under them: the task's arguments win key by key;
 * a free-form string stays the free-form argument (`_raw_params`). The result carries the
 * positions of both, so an error about a defaulted argument points at the module_defaults line.
 */
export function argsWithDefaults(args: unknown, entry: Record<string, unknown> | undefined, rawKey: string): unknown {
  if (!entry || !Object.keys(entry).length) return args;
  let merged: Record<string, unknown>;
  if (args === null || args === undefined) merged = { ...entry };
  else if (isMap(args)) merged = { ...entry, ...args };
  else if (typeof args === 'string') merged = { ...entry, [rawKey]: args };
  // A list or a number as arguments is the schema's to refuse; defaults do not hide it.
  else return args;
  const from = infoOf(entry);
  const own = infoOf(args);
  const pos = own?.pos ?? from?.pos;
  if (pos)
    attachInfo(merged, {
      pos,
      keys: { ...from?.keys, ...own?.keys },
      values: { ...from?.values, ...own?.values },
    });
  return merged;
}
