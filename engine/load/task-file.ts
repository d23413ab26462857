// Task files (import_tasks, include_tasks, a role's tasks/ and handlers/): found in Ansible's
// search order, read, normalized and schema-checked. Building them into tasks is tasks.ts's.
import { statSync } from 'node:fs';
import path from 'node:path';
import type { SourcePos } from '../errors.js';
import { error, handlerNames, importCycle, type LoadContext, type TaskScope } from './context.js';
import { loadYamlFile } from './files.js';
import { normalizeTasks } from './normalize.js';

/** The raw task list of a file, ready to build; undefined when there is nothing to build (a cycle, a parse error, an empty file). */
export function readTaskFile(
  file: string,
  ctx: LoadContext,
  from?: SourcePos,
  kind: 'tasks' | 'handlers' = 'tasks',
): unknown {
  if (ctx.stack.includes(file)) {
    error(
      ctx,
      importCycle(ctx, file),
      from,
      'a file cannot import itself, directly or through other files: remove one of these imports',
    );
    return undefined;
  }
  const parsed = loadYamlFile(file, 'task file');
  ctx.files.add(file);
  if (parsed.diagnostics.length) {
    ctx.diagnostics.push(...parsed.diagnostics.map((d) => (d.pos ? d : { ...d, pos: from })));
    return undefined;
  }
  if (parsed.value === null || parsed.value === undefined) return undefined;
  if (kind === 'handlers') for (const n of handlerNames(parsed.value)) ctx.roleExtras?.declaredHandlers.add(n);
  normalizeTasks(parsed.value, ctx);
  ctx.diagnostics.push(...ctx.check(kind, parsed.value, file, ctx.moduleDefaults));
  return parsed.value;
}

/** A task file path: relative to the including file, then to the playbook (Ansible's search order). */
export function resolveTaskPath(name: string, scope: TaskScope, ctx: LoadContext): string | undefined {
  return taskPathCandidates(name, scope, ctx).find((c) => ctx.files.has(c) || existsFile(c));
}

function taskPathCandidates(name: string, scope: TaskScope, ctx: LoadContext): string[] {
  if (path.isAbsolute(name)) return [name];
  return [
    ...new Set([
      path.resolve(scope.baseDir, name),
      ...(scope.role ? [path.resolve(scope.role.dir, 'tasks', name)] : []),
      path.resolve(ctx.playbookDir, name),
    ]),
  ];
}

/** resolveTaskPath, or an error at the import naming what was looked for. */
export function findTaskFile(name: string, scope: TaskScope, ctx: LoadContext, pos: SourcePos): string | undefined {
  const file = resolveTaskPath(name, scope, ctx);
  if (file) return file;
  const bases = [scope.baseDir, ...(scope.role ? [path.join(scope.role.dir, 'tasks')] : []), ctx.playbookDir].map(
    (d) => (d === ctx.playbookDir ? "the playbook's folder" : `${path.relative(ctx.playbookDir, d)}/`),
  );
  error(ctx, `task file '${name}' not found (looked from ${[...new Set(bases)].join(' and ')})`, pos);
  return undefined;
}

function existsFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
