// A playbook file → plays: schema-checked, import_playbook followed, roles and task files
// loaded. Every problem is collected in ctx.diagnostics; nothing stops at the first.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { error, handlerNames, importCycle, type LoadContext, type RoleExtras, type TaskScope } from './context.js';
import { loadYamlFile } from './files.js';
import { inheritable, located } from './keywords.js';
import { valuePos } from './positions.js';
import type { BlockDef, Play, TaskDef } from './model.js';
import { normalizePlaybook } from './normalize.js';
import { buildTasks, loadRoleBlock } from './tasks.js';
import type { SourcePos } from '../errors.js';
import { asText } from '../text.js';

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function loadPlaybookFile(file: string, ctx: LoadContext, from?: SourcePos): Play[] {
  if (ctx.stack.includes(file)) {
    error(
      ctx,
      importCycle(ctx, file),
      from,
      'a playbook cannot import itself, directly or through other playbooks: remove one of these imports',
    );
    return [];
  }
  if (from && !existsSync(file)) {
    error(
      ctx,
      `imported playbook not found: ${path.relative(ctx.playbookDir, file)} (relative to the importing playbook)`,
      from,
    );
    return [];
  }
  const parsed = loadYamlFile(file, 'playbook');
  ctx.files.add(file);
  if (parsed.diagnostics.length) {
    ctx.diagnostics.push(...parsed.diagnostics);
    return [];
  }
  if (parsed.value === null || parsed.value === undefined) {
    error(ctx, 'the playbook is empty: expected a list of plays (- hosts: ...)', { file, line: 1, col: 1 });
    return [];
  }
  normalizePlaybook(parsed.value, ctx);
  ctx.diagnostics.push(...ctx.check('playbook', parsed.value, file));
  if (!Array.isArray(parsed.value)) return [];
  ctx.stack.push(file);
  try {
    const plays: Play[] = [];
    for (const raw of parsed.value) {
      if (!isMap(raw)) continue;
      if (raw.import_playbook !== undefined) {
        const target = path.resolve(path.dirname(file), asText(raw.import_playbook));
        plays.push(...loadPlaybookFile(target, ctx, located(raw, file).fieldPos.import_playbook));
      } else if (raw.hosts !== undefined) {
        plays.push(buildPlay(raw, file, ctx));
      }
    }
    return plays;
  } finally {
    ctx.stack.pop();
  }
}

function buildPlay(raw: Record<string, unknown>, file: string, ctx: LoadContext): Play {
  const baseDir = path.dirname(file);
  const scope: TaskScope = { file, baseDir };
  const extras: RoleExtras = {
    handlers: [],
    declaredHandlers: new Set(handlerNames(raw.handlers)),
    defaults: {},
    vars: {},
    loaded: new Set(),
  };
  const saved = ctx.roleExtras;
  const savedDefaults = ctx.moduleDefaults;
  ctx.roleExtras = extras;
  // A play's module_defaults reach every task of it, its roles' and imported files' too.
  ctx.moduleDefaults = raw.module_defaults === undefined ? [] : [raw.module_defaults];
  try {
    const loc = located(raw, file);
    const roleBlocks = (Array.isArray(raw.roles) ? raw.roles : [])
      .map((r, i) => roleBlock(r, loc.fieldPos.roles ?? loc.pos, raw.roles as unknown[], i, scope, ctx))
      .filter((b): b is BlockDef => !!b);
    const preTasks = buildTasks(raw.pre_tasks, scope, ctx);
    const tasks = [...roleBlocks, ...buildTasks(raw.tasks, scope, ctx)];
    const postTasks = buildTasks(raw.post_tasks, scope, ctx);
    const handlers = buildTasks(raw.handlers, scope, ctx).filter((h): h is TaskDef => h.kind === 'task');
    return {
      name:
        typeof raw.name === 'string' ? raw.name : String(Array.isArray(raw.hosts) ? raw.hosts.join(',') : raw.hosts),
      hosts: raw.hosts as string | string[],
      ...inheritable(raw),
      ...loc,
      varsFiles: varsFileList(raw.vars_files),
      serial: raw.serial,
      order: (raw.order as Play['order']) ?? 'inventory',
      maxFailPercentage: raw.max_fail_percentage,
      forceHandlers: raw.force_handlers,
      gatherFacts: raw.gather_facts,
      preTasks,
      tasks,
      postTasks,
      handlers: [...handlers, ...extras.handlers],
      declaredHandlers: [...extras.declaredHandlers],
      roleDefaults: extras.defaults,
      roleVars: extras.vars,
      baseDir,
    };
  } finally {
    ctx.roleExtras = saved;
    ctx.moduleDefaults = savedDefaults;
  }
}

/** vars_files entries: a path, or a list of paths where the first that exists wins. Others were reported by the schema. */
function varsFileList(v: unknown): (string | string[])[] {
  if (!Array.isArray(v)) return [];
  return v.flatMap<string | string[]>((e) =>
    typeof e === 'string' ? [e] : Array.isArray(e) && e.length && e.every((x) => typeof x === 'string') ? [e] : [],
  );
}

function roleBlock(
  ref: unknown,
  pos: SourcePos,
  list: unknown[],
  i: number,
  scope: TaskScope,
  ctx: LoadContext,
): BlockDef | undefined {
  // The role's name as written: the list item, or the value of role:/name: in a mapping.
  const at =
    (isMap(ref) ? valuePos(ref, ref.role !== undefined ? 'role' : 'name') : undefined) ?? valuePos(list, i) ?? pos;
  if (typeof ref === 'string') return loadRoleBlock(ref, { pos: at, scope }, ctx);
  if (!isMap(ref)) return undefined;
  const name = asText(ref.role ?? ref.name ?? '');
  const reserved = new Set([
    'role',
    'name',
    'vars',
    'tags',
    'when',
    'become',
    'become_user',
    'environment',
    'connection',
    'remote_user',
    'port',
  ]);
  // Other keys of a role entry are role parameters, like Ansible's `- { role: x, http_port: 80 }` (keywords such as port are not).
  const params = Object.fromEntries(Object.entries(ref).filter(([k]) => !reserved.has(k)));
  const vars = { ...params, ...(isMap(ref.vars) ? ref.vars : {}) };
  const block = loadRoleBlock(name, { pos: at, scope, vars: Object.keys(vars).length ? vars : undefined }, ctx);
  if (!block) return undefined;
  const kw = inheritable(ref);
  return { ...block, ...kw, vars: block.vars, tags: kw.tags };
}
