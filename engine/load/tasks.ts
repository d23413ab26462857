// Raw task lists → TaskNode trees: blocks, modules, import_tasks (now), include_tasks
// (at run time, preloaded when its name is fixed), include_role/import_role. The recursion
// through task files and roles lives here; finding and reading them is task-file.ts's and
// roles.ts's.
import path from 'node:path';
import type { SourcePos } from '../errors.js';
import { isTemplateText } from './template-text.js';
import { error, withDefaults, type LoadContext, type TaskScope } from './context.js';
import { inheritable, located, nameList } from './keywords.js';
import type { BlockDef, IncludeDef, TaskDef, TaskNode } from './model.js';
import { joinPlay, locateRole, type RoleRef } from './roles.js';
import { findTaskFile, readTaskFile } from './task-file.js';
import { asText } from '../text.js';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The free-form string of a task that also has `args:` (the engine gives it to the module's free-form argument). */
export const RAW_PARAMS = '_raw_params';

/** A task file built into tasks; [] when it cannot be (the reason is in ctx.diagnostics). */
export function loadTaskFile(
  file: string,
  scope: TaskScope,
  ctx: LoadContext,
  from?: SourcePos,
  kind: 'tasks' | 'handlers' = 'tasks',
): TaskNode[] {
  const raw = readTaskFile(file, ctx, from, kind);
  if (raw === undefined) return [];
  ctx.stack.push(file);
  try {
    return buildTasks(raw, scope, ctx);
  } finally {
    ctx.stack.pop();
  }
}

/** A role's tasks as a block that carries the role (for its files/ and templates/); its handlers join the play once. */
export function loadRoleBlock(
  name: string,
  opts: RoleRef & { vars?: Record<string, unknown> },
  ctx: LoadContext,
): BlockDef | undefined {
  const found = locateRole(name, opts, ctx);
  if (!found) return undefined;
  const { role, tasksFile } = found;
  const scope: TaskScope = { file: role.dir, baseDir: path.join(role.dir, 'tasks'), role };
  const tasks = tasksFile ? loadTaskFile(tasksFile, { ...scope, file: tasksFile }, ctx, opts.pos) : [];
  const handlersFile = joinPlay(role, ctx);
  if (handlersFile) {
    const handlers = loadTaskFile(handlersFile, { ...scope, file: handlersFile }, ctx, opts.pos, 'handlers');
    ctx.roleExtras?.handlers.push(...handlers.filter((h): h is TaskDef => h.kind === 'task'));
  }
  return {
    kind: 'block',
    name: `role ${name}`,
    tags: [],
    vars: opts.vars,
    pos: opts.pos,
    fieldPos: {},
    role,
    block: tasks,
    rescue: [],
    always: [],
  };
}

export function buildTasks(raw: unknown, scope: TaskScope, ctx: LoadContext): TaskNode[] {
  if (!Array.isArray(raw)) return [];
  const out: TaskNode[] = [];
  for (const item of raw) {
    if (!isMap(item)) continue;
    const node = buildNode(item, scope, ctx);
    if (node) out.push(node);
  }
  return out;
}

function buildNode(raw: Record<string, unknown>, scope: TaskScope, ctx: LoadContext): TaskNode | undefined {
  // What this node's children are built (and their files checked) under.
  return withDefaults(ctx, raw.module_defaults, () => buildInner(raw, scope, ctx));
}

function buildInner(raw: Record<string, unknown>, scope: TaskScope, ctx: LoadContext): TaskNode | undefined {
  const loc = located(raw, scope.file, scope.role);
  if ('block' in raw) {
    const b: BlockDef = {
      kind: 'block',
      name: raw.name as string | undefined,
      ...inheritable(raw),
      ...loc,
      block: buildTasks(raw.block, scope, ctx),
      rescue: buildTasks(raw.rescue, scope, ctx),
      always: buildTasks(raw.always, scope, ctx),
      notify: raw.notify === undefined ? undefined : nameList(raw.notify),
    };
    return b;
  }
  if (raw.import_tasks !== undefined) {
    const file =
      typeof raw.import_tasks === 'string'
        ? findTaskFile(raw.import_tasks, scope, ctx, loc.fieldPos.import_tasks ?? loc.pos)
        : undefined;
    const tasks = file
      ? loadTaskFile(file, { ...scope, file, baseDir: path.dirname(file) }, ctx, loc.fieldPos.import_tasks)
      : [];
    return {
      kind: 'block',
      name: raw.name as string | undefined,
      ...inheritable(raw),
      ...loc,
      block: tasks,
      rescue: [],
      always: [],
    };
  }
  if (raw.include_tasks !== undefined) return buildInclude(raw, scope, ctx, loc);
  for (const kind of ['import_role', 'include_role'] as const) {
    if (raw[kind] !== undefined && isMap(raw[kind])) {
      const call = raw[kind];
      const block = loadRoleBlock(
        String(call.name),
        { tasksFrom: call.tasks_from as string | undefined, pos: loc.fieldPos[kind] ?? loc.pos, scope },
        ctx,
      );
      return block
        ? {
            ...block,
            ...inheritable(raw),
            tags: [...block.tags, ...inheritable(raw).tags],
            name: (raw.name as string | undefined) ?? block.name,
          }
        : undefined;
    }
  }
  return buildTask(raw, scope, ctx, loc);
}

function buildInclude(
  raw: Record<string, unknown>,
  scope: TaskScope,
  ctx: LoadContext,
  loc: ReturnType<typeof located>,
): IncludeDef {
  const spec = raw.include_tasks;
  const named = isMap(spec) ? spec.file : spec;
  // A file name of the wrong type was reported by the schema check; there is nothing to load.
  const fileName = typeof named === 'string' ? named : '';
  const node: IncludeDef = {
    kind: 'include',
    name: raw.name as string | undefined,
    ...inheritable(raw),
    ...loc,
    file: fileName,
    baseDir: scope.baseDir,
    ...loopFields(raw),
  };
  if (fileName && !isTemplateText(fileName)) {
    const file = findTaskFile(fileName, scope, ctx, loc.fieldPos.include_tasks ?? loc.pos);
    if (file)
      node.preloaded = loadTaskFile(
        file,
        { ...scope, file, baseDir: path.dirname(file) },
        ctx,
        loc.fieldPos.include_tasks,
      );
  }
  return node;
}

function loopFields(raw: Record<string, unknown>): Pick<TaskDef, 'loop' | 'loopFlatten' | 'loopControl'> {
  const lc = isMap(raw.loop_control) ? raw.loop_control : undefined;
  return {
    loop: raw.loop ?? raw.with_items ?? raw.with_list,
    loopFlatten: raw.with_items !== undefined,
    loopControl: lc && {
      loopVar: lc.loop_var as string | undefined,
      indexVar: lc.index_var as string | undefined,
      label: lc.label as string | undefined,
      pause: lc.pause,
      extended: lc.extended as boolean | undefined,
    },
  };
}

function buildTask(
  raw: Record<string, unknown>,
  scope: TaskScope,
  ctx: LoadContext,
  loc: ReturnType<typeof located>,
): TaskDef | undefined {
  const keys = Object.keys(raw);
  const modules = keys.filter((k) => ctx.modules.has(k));
  const unknown = keys.filter((k) => !ctx.modules.has(k) && !ctx.keywords.has(k));
  if (modules.length > 1) {
    error(
      ctx,
      `a task runs one module, this one names ${modules.length}: ${modules.map((m) => `'${m}'`).join(' and ')}`,
      loc.fieldPos[`key:${modules[1]}`] ?? loc.pos,
      'split it into two tasks',
    );
    return undefined;
  }
  if (modules.length === 0) {
    // Unknown keys are reported by the schema check with a did-you-mean.
    if (!unknown.length)
      error(
        ctx,
        `task${raw.name ? ` '${asText(raw.name)}'` : ''} has no module (e.g. command:, copy:, drain:)`,
        loc.pos,
      );
    return undefined;
  }
  const module = modules[0];
  let args = raw[module];
  // `command: touch x` with `args: {creates: x}`: the string stays, under Ansible's name for it.
  if (isMap(raw.args))
    args = isMap(args)
      ? { ...raw.args, ...args }
      : args === null || args === undefined
        ? raw.args
        : { ...raw.args, [RAW_PARAMS]: args };
  return {
    kind: 'task',
    name: raw.name as string | undefined,
    module,
    args: args ?? {},
    ...inheritable(raw),
    ...loc,
    ...loopFields(raw),
    register: raw.register as string | undefined,
    until: raw.until,
    retries: raw.retries,
    delay: raw.delay,
    changedWhen: raw.changed_when,
    failedWhen: raw.failed_when,
    notify: nameList(raw.notify),
    listen: nameList(raw.listen),
  };
}
