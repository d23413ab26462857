// A task file (import_tasks, include_tasks, a role's tasks/main.yaml): parsed, normalized,
// schema-checked and built, with cycles refused.
import type { SourcePos } from '../errors.js';
import { error, handlerNames, importCycle, type LoadContext } from './context.js';
import { loadYamlFile } from './files.js';
import type { TaskNode } from './model.js';
import { normalizeTasks } from './normalize.js';
import { buildTasks, type TaskScope } from './tasks.js';

export function loadTaskFile(file: string, scope: TaskScope, ctx: LoadContext, from?: SourcePos, kind: 'tasks' | 'handlers' = 'tasks'): TaskNode[] {
  if (ctx.stack.includes(file)) {
    error(ctx, importCycle(ctx, file), from, 'a file cannot import itself, directly or through other files: remove one of these imports');
    return [];
  }
  const parsed = loadYamlFile(file, 'task file');
  ctx.files.add(file);
  if (parsed.diagnostics.length) {
    ctx.diagnostics.push(...parsed.diagnostics.map((d) => (d.pos ? d : { ...d, pos: from })));
    return [];
  }
  if (parsed.value === null || parsed.value === undefined) return [];
  if (kind === 'handlers') for (const n of handlerNames(parsed.value)) ctx.roleExtras?.declaredHandlers.add(n);
  normalizeTasks(parsed.value, ctx);
  ctx.diagnostics.push(...ctx.check(kind, parsed.value, file));
  ctx.stack.push(file);
  try {
    return buildTasks(parsed.value, scope, ctx);
  } finally {
    ctx.stack.pop();
  }
}
