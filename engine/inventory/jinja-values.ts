// Inventory values shared with Ansible hold Jinja (`api_endpoint: "{{ hostvars[...] | default(...) }}"`).
// Each one is translated when it is loaded, into the Handlebars expression `run` evaluates when
// the value is read; one the translator cannot handle becomes an UntranslatedJinja, an error
// only for the run that reads it (Ansible too templates a variable only when it is used).
import type { SourcePos } from '../errors.js';
import { mayBeJinja, translateTemplate, UntranslatedJinja } from '../jinja/index.js';
import { valuePos } from '../load/positions.js';

/** One value that was Jinja and is now read as `handlebars` (for `-v`). */
export type JinjaTranslation = { variable: string; pos?: SourcePos; jinja: string; handlebars: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Translate one value (strings inside lists and mappings too, in place); `name` labels it in notes. */
export function translateValue(
  value: unknown,
  name: string,
  pos: SourcePos | undefined,
  out: JinjaTranslation[],
): unknown {
  if (typeof value === 'string') {
    if (!mayBeJinja(value)) return value;
    const t = translateTemplate(value);
    switch (t.kind) {
      case 'plain':
      case 'not-jinja':
        // Not Jinja (herdbook's own {{default x 'y'}}): read as it is, as before.
        return value;
      case 'translated':
        if (t.text !== value) out.push({ variable: name, pos, jinja: value, handlebars: t.text });
        return t.text;
      case 'left':
        return new UntranslatedJinja(value, t.notes, pos);
    }
  }
  if (Array.isArray(value)) {
    value.forEach((x, i) => (value[i] = translateValue(x, `${name}[${i}]`, valuePos(value, i) ?? pos, out)));
  } else if (isPlainObject(value)) {
    for (const k of Object.keys(value))
      value[k] = translateValue(value[k], `${name}.${k}`, valuePos(value, k) ?? pos, out);
  }
  return value;
}

/** Every variable of a vars mapping, positions taken from the mapping itself (YAML) or `at` (INI). */
export function translateVars(
  vars: Record<string, unknown>,
  out: JinjaTranslation[],
  at?: (key: string) => SourcePos | undefined,
): Record<string, unknown> {
  for (const k of Object.keys(vars)) vars[k] = translateValue(vars[k], k, at?.(k) ?? valuePos(vars, k), out);
  return vars;
}
