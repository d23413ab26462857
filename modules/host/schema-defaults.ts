// A module's argument defaults, read from its schema (defaults live there and nowhere else):
// for a module that calls another one with only some arguments (package → apt, dnf).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SCHEMAS_DIR } from '../../engine/paths.js';

type Schema = { properties?: Record<string, { default?: unknown }> };

export function schemaDefaults(name: string): Record<string, unknown> {
  const schema = JSON.parse(readFileSync(path.join(SCHEMAS_DIR, 'modules', `${name}.json`), 'utf8')) as Schema;
  return Object.fromEntries(
    Object.entries(schema.properties ?? {})
      .filter(([, p]) => p.default !== undefined)
      .map(([k, p]) => [k, p.default]),
  );
}
