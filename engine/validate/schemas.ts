// The JSON Schemas in schemas/ are the single source of truth: the same files an editor
// uses validate every document here. Compiled once per process.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { PACKAGE_ROOT, SCHEMAS_DIR } from '../paths.js';

const require = createRequire(import.meta.url);
export const SCHEMA_BASE = 'https://herdbook.dev/schemas/';

type AjvInstance = {
  addSchema(schema: object, key?: string): unknown;
  getSchema(key: string): ValidateFunction | undefined;
};

export type SchemaRegistry = {
  validator(id: string): ValidateFunction;
  /** Module name → its schema (raw JSON), from task.json's properties that point into modules/. */
  modules: ReadonlyMap<string, Record<string, unknown>>;
  /** Task keywords: task.json properties that are not modules. */
  keywords: ReadonlySet<string>;
  /** Modules whose arguments may be a single string. */
  freeForm: ReadonlySet<string>;
  /** Host variables each module sets, from its schema's `x-sets-facts`. */
  moduleFacts: ReadonlyMap<string, readonly string[]>;
};

export type ValidationError = ErrorObject;

function listSchemaFiles(dir: string, rel = ''): string[] {
  return readdirSync(path.join(dir, rel)).flatMap((f) => {
    const r = path.posix.join(rel, f);
    return statSync(path.join(dir, r)).isDirectory() ? listSchemaFiles(dir, r) : f.endsWith('.json') ? [r] : [];
  });
}

export type RegistryOptions = { useDefaults?: boolean; coerce?: boolean };

export function readSchemas(): Map<string, Record<string, unknown>> {
  const raw = new Map<string, Record<string, unknown>>();
  for (const rel of listSchemaFiles(SCHEMAS_DIR))
    raw.set(rel, JSON.parse(readFileSync(path.join(SCHEMAS_DIR, rel), 'utf8')) as Record<string, unknown>);
  return raw;
}

/** An ajv instance with every schema of schemas/ added under its id. */
export function createAjv(
  raw: Map<string, Record<string, unknown>>,
  opts: RegistryOptions,
  extra: object = {},
): AjvInstance {
  const Ajv = (require('ajv') as { default: new (o: object) => AjvInstance }).default;
  // inlineRefs: false keeps each module's schema its own function: one inlined task validator grew to
  // 180 kB with ~30 modules, too large for V8 to optimize, and validation of 1,000 tasks took ~150 ms.
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    allowUnionTypes: true,
    verbose: true,
    inlineRefs: false,
    useDefaults: opts.useDefaults ?? false,
    coerceTypes: opts.coerce ?? false,
    ...extra,
  });
  for (const [rel, schema] of raw) ajv.addSchema({ ...schema, $id: SCHEMA_BASE + rel });
  return ajv;
}

export function precompiledName(opts: RegistryOptions): string {
  return opts.useDefaults || opts.coerce ? 'runtime' : 'strict';
}

/**
 * Validators compiled from schemas/ at build time (npm run build), used when running from
 * dist/: compiling ~40 schemas at start-up costs ~400 ms. From source (tests), compile now.
 */
function precompiled(opts: RegistryOptions): Record<string, ValidateFunction> | undefined {
  if (!import.meta.url.includes('/dist/')) return undefined;
  // Where the build wrote them, whether this code runs from dist/engine/validate/ (tsc's output)
  // or from the bundle's chunks in dist/engine/.
  try {
    return require(
      path.join(PACKAGE_ROOT, 'dist/engine/validate', `validators-${precompiledName(opts)}.cjs`),
    ) as Record<string, ValidateFunction>;
  } catch {
    return undefined;
  }
}

export function createSchemaRegistry(opts: RegistryOptions = {}): SchemaRegistry {
  const raw = readSchemas();
  const built = precompiled(opts);
  let ajv: AjvInstance | undefined;
  const compile = (id: string) => {
    if (built?.[id]) return built[id];
    ajv ??= createAjv(raw, opts);
    return ajv.getSchema(SCHEMA_BASE + id);
  };
  const task = raw.get('task.json') as { properties: Record<string, { $ref?: string }> };
  const modules = new Map<string, Record<string, unknown>>();
  const keywords = new Set<string>();
  for (const [name, prop] of Object.entries(task.properties)) {
    const ref = prop.$ref;
    if (ref?.startsWith('modules/')) modules.set(name, raw.get(ref) ?? {});
    else keywords.add(name);
  }
  const freeForm = new Set(
    [...modules].filter(([, s]) => [s.type].flat().includes('string') || 'enum' in s).map(([n]) => n),
  );
  const cache = new Map<string, ValidateFunction>();
  return {
    validator(id) {
      let fn = cache.get(id);
      if (!fn) {
        fn = compile(id.startsWith(SCHEMA_BASE) ? id.slice(SCHEMA_BASE.length) : id);
        if (!fn) throw new Error(`no schema ${id}`);
        cache.set(id, fn);
      }
      return fn;
    },
    modules,
    keywords,
    freeForm,
    moduleFacts: new Map(
      [...modules]
        .filter(([, sch]) => Array.isArray(sch['x-sets-facts']))
        .map(([n, sch]) => [n, sch['x-sets-facts'] as string[]]),
    ),
  };
}
