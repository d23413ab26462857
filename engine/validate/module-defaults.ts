// module_defaults before anything runs: every entry names a module and fits its schema, and a
// task is checked with its defaults merged under its arguments (a required argument may come
// from the defaults), so what run will render is what was checked.
import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../errors.js';
import { argsWithDefaults, defaultsMappings, defaultsModuleName, moduleDefaultsFor } from '../load/module-defaults.js';
import { attachInfo, keyPos, posOf } from '../load/positions.js';
import { RAW_PARAMS } from '../load/tasks.js';
import { didYouMean } from '../suggest.js';
import { ajvDiagnostics } from './ajv-errors.js';
import type { SchemaRegistry } from './schemas.js';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

const SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];

/** A task whose arguments are checked merged with its defaults: its own errors under `path` are replaced. */
type Merged = { path: string; module: string; args: unknown };

export type DefaultsCheck = {
  diagnostics: Diagnostic[];
  /** Whether a schema error of the document at this instance path is replaced by the merged check. */
  replaced(instancePath: string): boolean;
};

/**
 * `doc` is a playbook (kind 'playbook') or a task list; `outer` the module_defaults in effect
 * where a task list is imported (the play's, blocks'), outer → inner.
 */
export function checkModuleDefaults(
  registry: SchemaRegistry,
  kind: string,
  doc: unknown,
  file: string,
  outer: readonly unknown[],
): DefaultsCheck {
  const merged: Merged[] = [];
  const diagnostics: Diagnostic[] = [];
  const level = (owner: Record<string, unknown>) => {
    if (owner.module_defaults !== undefined)
      diagnostics.push(...entryDiagnostics(registry, owner.module_defaults, file));
  };
  const walk = (list: unknown, levels: readonly unknown[], path: string) => {
    if (!Array.isArray(list)) return;
    list.forEach((item, i) => {
      if (!isMap(item)) return;
      level(item);
      const here = [...levels, item.module_defaults];
      const at = `${path}/${i}`;
      if ('block' in item) {
        for (const s of ['block', 'rescue', 'always']) walk(item[s], here, `${at}/${s}`);
        return;
      }
      const module = Object.keys(item).find((k) => registry.modules.has(k));
      if (!module) return;
      const args = item[module];
      // A free-form string's arguments are only known once split at run time, where they are checked merged.
      if (typeof args === 'string') return;
      const entry = moduleDefaultsFor(here, module);
      if (entry && Object.keys(entry).length)
        merged.push({ path: `${at}/${escape(module)}`, module, args: argsWithDefaults(args ?? {}, entry, RAW_PARAMS) });
    });
  };
  if (kind === 'playbook' && Array.isArray(doc)) {
    doc.forEach((play, i) => {
      if (!isMap(play)) return;
      level(play);
      for (const s of SECTIONS) walk(play[s], [play.module_defaults], `/${i}/${s}`);
    });
  } else walk(doc, outer, '');
  for (const m of merged) diagnostics.push(...mergedDiagnostics(registry, m, file));
  return {
    diagnostics,
    replaced: (p) => merged.some((m) => p === m.path || p.startsWith(`${m.path}/`)),
  };
}

/** A JSON pointer segment. */
function escape(s: string): string {
  return s.replace(/~/g, '~0').replace(/\//g, '~1');
}

function validateArgs(registry: SchemaRegistry, module: string, args: unknown): ErrorObject[] {
  // task.json names each module's schema modules/<name>.json.
  const validate = registry.validator(`modules/${module}.json`);
  validate(args);
  return [...(validate.errors ?? [])];
}

/** Errors about `args` under `module`, worded and placed as a task's would be ("argument 'x' of module 'y'"). */
function diagnosticsFor(
  errors: ErrorObject[],
  module: string,
  args: unknown,
  file: string,
  registry: SchemaRegistry,
): Diagnostic[] {
  const root: Record<string, unknown> = { [module]: args };
  const pos = posOf(args);
  if (pos) attachInfo(root, { pos, values: { [module]: pos }, keys: { [module]: pos } });
  const prefixed = errors.map((e) => ({ ...e, instancePath: `/${escape(module)}${e.instancePath}` }));
  return ajvDiagnostics(prefixed, root, file, new Set(registry.modules.keys()));
}

function mergedDiagnostics(registry: SchemaRegistry, m: Merged, file: string): Diagnostic[] {
  return diagnosticsFor(validateArgs(registry, m.module, m.args), m.module, m.args, file, registry);
}

/** Errors a defaults entry has on its own: any a task cannot fix by giving the missing arguments. */
const NEEDS_TASK = new Set(['required', 'oneOf', 'anyOf', 'if', 'not', 'dependencies', 'dependentRequired']);

function entryDiagnostics(registry: SchemaRegistry, raw: unknown, file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const modules = [...registry.modules.keys()];
  for (const mapping of defaultsMappings(raw)) {
    for (const [key, entry] of Object.entries(mapping)) {
      const pos = keyPos(mapping, key) ?? posOf(mapping) ?? { file, line: 1, col: 1 };
      if (key.startsWith('group/')) {
        out.push({
          severity: 'error',
          message: `module_defaults: '${key}' is an action group; herdbook has no action groups`,
          pos,
          hint: 'name each module instead (k3s_version:, drain:, ...); ansible-playbook also refuses a group it cannot resolve',
        });
        continue;
      }
      const module = defaultsModuleName(key);
      if (!registry.modules.has(module)) {
        out.push({
          severity: 'error',
          message: `module_defaults names '${key}', which is not a module`,
          pos,
          hint: didYouMean(module, modules) ?? 'name a module this playbook can run (herdbook list: schemas/modules/)',
        });
        continue;
      }
      if (!isMap(entry)) continue;
      const errors = validateArgs(registry, module, entry).filter(
        (e) => !(e.instancePath === '' && NEEDS_TASK.has(e.keyword)),
      );
      out.push(...diagnosticsFor(errors, module, entry, file, registry));
    }
  }
  return out;
}
