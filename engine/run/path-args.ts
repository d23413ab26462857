// A module's arguments of type path (the schema's file-attributes.json#/definitions/path: file's
// path, copy's dest, template's dest, ...) with `~`, `~user` and `$VAR` expanded on the host, as
// Ansible's AnsibleModule does for every argument of type path before the module runs.
import { expandOnHost, expansionNeeds } from '../expand-user-vars.js';
import type { ModuleContext, ModuleDef } from '../module.js';
import type { SchemaRegistry } from '../validate/schemas.js';

const PATH_REF = /(^|\/)file-attributes\.json#\/definitions\/path$/;

const pathArgNames = new WeakMap<object, readonly string[]>();

function pathArgs(registry: SchemaRegistry, mod: ModuleDef): readonly string[] {
  const schema = registry.modules.get(mod.name);
  if (!schema) return [];
  let names = pathArgNames.get(schema);
  if (!names) {
    const props = (schema.properties ?? {}) as Record<string, { $ref?: string }>;
    names = Object.keys(props).filter((k) => PATH_REF.test(props[k]?.$ref ?? ''));
    pathArgNames.set(schema, names);
  }
  return names;
}

/** The arguments with their path values expanded; the same object when there is nothing to expand. */
export function pathExpander(registry: SchemaRegistry, mod: ModuleDef) {
  const names = pathArgs(registry, mod);
  return async (args: unknown, mctx: ModuleContext): Promise<unknown> => {
    if (!names.length || !args || typeof args !== 'object') return args;
    const a = args as Record<string, unknown>;
    const keys = names.filter((k) => typeof a[k] === 'string' && expansionNeeds(a[k]));
    if (!keys.length) return args;
    const expanded = await expandOnHost(
      (cmd, opts) => mctx.exec(cmd, opts),
      keys.map((k) => a[k] as string),
    );
    return { ...a, ...Object.fromEntries(keys.map((k, i) => [k, expanded[i]])) };
  };
}
