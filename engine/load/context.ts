// What the loader carries while following imports, roles and task files.
import path from 'node:path';
import type { Diagnostic, SourcePos } from '../errors.js';
import type { RoleInfo, TaskDef } from './model.js';

/** Schema checks are injected by the validate stage, so `load` does not depend on ajv. */
export type DocumentKind = 'playbook' | 'tasks' | 'handlers' | 'vars';
/** `outerDefaults`: the module_defaults (outer → inner) of the play, blocks and task that import a task file. */
export type DocumentChecker = (
  kind: DocumentKind,
  value: unknown,
  file: string,
  outerDefaults?: readonly unknown[],
) => Diagnostic[];

export type LoadContext = {
  diagnostics: Diagnostic[];
  files: Set<string>;
  check: DocumentChecker;
  /** Module names that may appear as task keys (from schemas/task.json). */
  modules: ReadonlySet<string>;
  /** Task keywords (everything in schemas/task.json that is not a module). */
  keywords: ReadonlySet<string>;
  /** Files being loaded, to refuse an import cycle. */
  stack: string[];
  /** The directory of the top playbook: roles/ and relative includes resolve from here too. */
  playbookDir: string;
  rolesPath: string[];
  /** Module names whose arguments may be one string (command: ls). */
  freeForm: ReadonlySet<string>;
  /** Module name → argument schema: collection names (x-collection) and the types of `key=value` arguments. */
  moduleSchemas: ReadonlyMap<string, Record<string, unknown>>;
  /** What the roles of the play being built contribute to the play itself. */
  roleExtras?: RoleExtras;
  /** The module_defaults in effect where tasks are being built (play's, blocks', an import's), outer → inner. */
  moduleDefaults?: unknown[];
};

/** Where a task list was written: relative task files resolve from baseDir, a role's from its folder. */
export type TaskScope = { file: string; baseDir: string; role?: RoleInfo };

export type RoleExtras = {
  handlers: TaskDef[];
  /** Handler names and listen topics as written, valid handlers or not (notify checks). */
  declaredHandlers: Set<string>;
  defaults: Record<string, unknown>;
  vars: Record<string, unknown>;
  loaded: Set<string>;
};

export function error(ctx: LoadContext, message: string, pos?: SourcePos, hint?: string): void {
  ctx.diagnostics.push({ severity: 'error', message, pos, hint });
}

export function warning(ctx: LoadContext, message: string, pos?: SourcePos, hint?: string): void {
  ctx.diagnostics.push({ severity: 'warning', message, pos, hint });
}

/** "import cycle: a.yaml → b.yaml → a.yaml", paths relative to the playbook's directory. */
export function importCycle(ctx: LoadContext, file: string): string {
  const chain = [...ctx.stack.slice(ctx.stack.indexOf(file)), file].map(
    (f) => path.relative(ctx.playbookDir, f) || path.basename(f),
  );
  return `import cycle: ${chain.join(' → ')}`;
}

/** The names and listen topics of a raw handler list, whatever else is wrong with its entries. */
export function handlerNames(raw: unknown): string[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((h) => {
    if (!h || typeof h !== 'object') return [];
    const { name, listen } = h as { name?: unknown; listen?: unknown };
    return [name, ...(Array.isArray(listen) ? (listen as unknown[]) : [listen])].filter(
      (x): x is string => typeof x === 'string',
    );
  });
}

/** Build with one more level of module_defaults in effect (a block's, an import's), then drop it. */
export function withDefaults<T>(ctx: LoadContext, level: unknown, build: () => T): T {
  if (level === undefined || level === null) return build();
  const saved = ctx.moduleDefaults;
  ctx.moduleDefaults = [...(saved ?? []), level];
  try {
    return build();
  } finally {
    ctx.moduleDefaults = saved;
  }
}
