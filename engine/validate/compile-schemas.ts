// Build step: compile every schema in schemas/ into standalone validator code next to this
// file (dist/engine/validate/validators-*.cjs), so `herdbook validate` starts fast. The
// schema files stay the single source: this only caches their compiled form.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { createAjv, precompiledName, readSchemas, SCHEMA_BASE, type RegistryOptions } from './schemas.js';

const require = createRequire(import.meta.url);

export function compileSchemas(outDir: string): string[] {
  const standaloneCode = (
    require('ajv/dist/standalone') as { default: (ajv: unknown, refs: Record<string, string>) => string }
  ).default;
  const raw = readSchemas();
  const ids = [...raw.keys()];
  // The fragments validation asks for by id, besides whole files.
  ids.push('playbook.json#/definitions/tasks');
  const written: string[] = [];
  for (const opts of [{}, { useDefaults: true, coerce: true }] as RegistryOptions[]) {
    const ajv = createAjv(raw, opts, { code: { source: true } }) as { getSchema(id: string): unknown };
    for (const id of ids) ajv.getSchema(SCHEMA_BASE + id);
    const code = standaloneCode(ajv, Object.fromEntries(ids.map((id) => [id, SCHEMA_BASE + id])));
    const file = path.join(outDir, `validators-${precompiledName(opts)}.cjs`);
    writeFileSync(file, code);
    written.push(file);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const out = path.dirname(fileURLToPath(import.meta.url));
  for (const f of compileSchemas(out)) console.log(`compiled ${path.relative(process.cwd(), f)}`);
}
