// Module arguments after templating: `omit` removed, a free-form string turned into its
// argument, then the module's schema again with defaults and type coercion ("30" → 30).
import type { ModuleDef } from '../module.js';
import { ajvDiagnostics } from '../validate/ajv-errors.js';
import type { SchemaRegistry } from '../validate/schemas.js';

export type CheckedArgs = { ok: true; args: unknown } | { ok: false; message: string };

function stripOmit(v: unknown, omit: string): unknown {
  if (Array.isArray(v)) return v.filter((x) => x !== omit).map((x) => stripOmit(x, omit));
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) if (x !== omit) out[k] = stripOmit(x, omit);
    return out;
  }
  return v;
}

export function checkArgs(registry: SchemaRegistry, mod: ModuleDef, rendered: unknown, omit: string): CheckedArgs {
  let args = stripOmit(rendered, omit);
  if (typeof args === 'string' && mod.freeForm) args = { [mod.freeForm]: args };
  if (args === null || args === undefined) args = {};
  // ajv's useDefaults writes into the value: never into the playbook's own objects.
  const copy = structuredClone(args);
  const validate = registry.validator(`modules/${mod.schema}.json`);
  if (validate(copy)) return { ok: true, args: copy };
  const diags = ajvDiagnostics(validate.errors, copy, '', new Set([mod.name]));
  return { ok: false, message: `invalid arguments for ${mod.name}: ${diags.map((d) => d.message).join('; ')}` };
}
