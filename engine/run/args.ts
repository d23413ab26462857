// Module arguments after templating: `omit` removed, a free-form string turned into its
// argument, then the module's schema again with defaults and type coercion ("30" → 30).
import type { TaskDef } from '../load/model.js';
import { argsWithDefaults, moduleDefaultsFor } from '../load/module-defaults.js';
import { RAW_PARAMS } from '../load/tasks.js';
import type { ModuleDef } from '../module.js';
import type { Chain } from './keywords.js';
import { ajvDiagnostics } from '../validate/ajv-errors.js';
import type { SchemaRegistry } from '../validate/schemas.js';

/** The task's arguments over its module's defaults from the play, its blocks and the task (rendered per task by the caller). */
export function argsWithModuleDefaults(chain: Chain, task: TaskDef): unknown {
  // A handler runs with an empty chain: the task itself is then not in it.
  const nodes = chain.nodes.at(-1) === task ? chain.nodes : [...chain.nodes, task];
  const levels = [chain.play.moduleDefaults, ...nodes.map((n) => n.moduleDefaults)];
  return argsWithDefaults(task.args, moduleDefaultsFor(levels, task.module), RAW_PARAMS);
}

export type CheckedArgs = { ok: true; args: unknown } | { ok: false; message: string };

/** A deep copy without `omit` placeholders: new arrays and objects all the way down. */
function stripOmit(v: unknown, omit: string): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== omit).map((x) => stripOmit(x, omit));
  if (v && typeof v === 'object') {
    // A Date from a YAML timestamp (or any other class instance) is copied whole, not taken apart.
    const proto: unknown = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return structuredClone(v);
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== omit) out[k] = stripOmit(x, omit);
    return out;
  }
  return v;
}

/**
 * A free-form string (`command: touch x creates=/x chdir=/tmp`) and its inline key=value words
 * for the module's own arguments, split the way Ansible splits them.
 */
export function freeFormArgs(text: string, freeForm: string, known: ReadonlySet<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const rest: string[] = [];
  for (const word of text.split(/(\s+)/)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(word);
    if (m && known.has(m[1]) && m[1] !== freeForm) out[m[1]] = m[2].replace(/^(['"])(.*)\1$/, '$2');
    else rest.push(word);
  }
  out[freeForm] = rest.join('').trim();
  return out;
}

// A module's argument names, once per schema rather than once per task and host.
const argNames = new WeakMap<object, ReadonlySet<string>>();
function knownArgs(registry: SchemaRegistry, mod: ModuleDef): ReadonlySet<string> {
  const schema = registry.modules.get(mod.name);
  if (!schema) return new Set();
  let names = argNames.get(schema);
  if (!names) argNames.set(schema, (names = new Set(Object.keys((schema.properties as object | undefined) ?? {}))));
  return names;
}

export function checkArgs(registry: SchemaRegistry, mod: ModuleDef, rendered: unknown, omit: string): CheckedArgs {
  // stripOmit copies: ajv's useDefaults below writes into this copy, never into the playbook's own objects.
  let args = stripOmit(rendered, omit);
  if (mod.freeForm) {
    const known = knownArgs(registry, mod);
    if (typeof args === 'string') args = freeFormArgs(args, mod.freeForm, known);
    else if (args && typeof args === 'object' && typeof (args as Record<string, unknown>)[RAW_PARAMS] === 'string') {
      const { [RAW_PARAMS]: text, ...rest } = args as Record<string, unknown>;
      args = { ...freeFormArgs(text as string, mod.freeForm, known), ...rest };
    }
  }
  if (args === null || args === undefined) args = {};
  const copy = args;
  const validate = registry.validator(`modules/${mod.schema}.json`);
  if (validate(copy)) return { ok: true, args: copy };
  const diags = ajvDiagnostics(validate.errors, copy, '', new Set([mod.name]));
  return { ok: false, message: `invalid arguments for ${mod.name}: ${diags.map((d) => d.message).join('; ')}` };
}
