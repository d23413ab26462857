// Roles: roles/<name>/{tasks,handlers,defaults,vars,templates,files}. A role's tasks become a
// block that carries the role (for files/ and templates/); its handlers, defaults and vars
// join the play (defaults are the weakest variables of all).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../suggest.js';
import type { SourcePos } from '../errors.js';
import { error, type LoadContext } from './context.js';
import { loadYamlFile } from './files.js';
import type { BlockDef, RoleInfo, TaskDef } from './model.js';
import { loadTaskFile } from './task-file.js';
import type { TaskScope } from './tasks.js';

const MAIN = ['main.yaml', 'main.yml', 'main'];

export function findRole(name: string, scope: TaskScope, ctx: LoadContext): string | undefined {
  const dirs = [path.join(ctx.playbookDir, 'roles'), path.join(scope.baseDir, 'roles'), ctx.playbookDir, ...ctx.rolesPath];
  if (path.isAbsolute(name)) return isDir(name) ? name : undefined;
  return dirs.map((d) => path.resolve(d, name)).find((d) => isDir(path.join(d, 'tasks')) || isDir(path.join(d, 'handlers')) || isDir(path.join(d, 'defaults')));
}

export function loadRoleBlock(name: string, opts: { tasksFrom?: string; pos: SourcePos; scope: TaskScope; vars?: Record<string, unknown> }, ctx: LoadContext): BlockDef | undefined {
  const dir = findRole(name, opts.scope, ctx);
  if (!dir) {
    const known = path.join(ctx.playbookDir, 'roles');
    const names = isDir(known) ? readRoleNames(known) : [];
    const where = ['roles/ next to the playbook', ...(opts.scope.baseDir !== ctx.playbookDir ? [`${path.relative(ctx.playbookDir, path.join(opts.scope.baseDir, 'roles'))}/`] : []), ...ctx.rolesPath];
    error(ctx, `role '${name}' not found (looked in ${where.join(', ')})`, opts.pos, didYouMean(name, names) ?? 'create roles/<name>/tasks/main.yaml, or set HERDBOOK_ROLES_PATH to the folder that holds your roles');
    return undefined;
  }
  const role: RoleInfo = { name, dir };
  const scope: TaskScope = { file: dir, baseDir: path.join(dir, 'tasks'), role };
  const tasksFile = firstFile(path.join(dir, 'tasks'), opts.tasksFrom ? [`${opts.tasksFrom}.yaml`, `${opts.tasksFrom}.yml`, opts.tasksFrom] : MAIN);
  if (opts.tasksFrom && !tasksFile) error(ctx, `role '${name}' has no tasks file '${opts.tasksFrom}' in ${path.join(dir, 'tasks')}`, opts.pos);
  const tasks = tasksFile ? loadTaskFile(tasksFile, { ...scope, file: tasksFile }, ctx, opts.pos) : [];
  const extras = ctx.roleExtras;
  if (extras && !extras.loaded.has(dir)) {
    extras.loaded.add(dir);
    Object.assign(extras.defaults, varsFile(path.join(dir, 'defaults'), ctx));
    Object.assign(extras.vars, varsFile(path.join(dir, 'vars'), ctx));
    const handlersFile = firstFile(path.join(dir, 'handlers'), MAIN);
    if (handlersFile) {
      const handlers = loadTaskFile(handlersFile, { ...scope, file: handlersFile }, ctx, opts.pos, 'handlers');
      extras.handlers.push(...handlers.filter((h): h is TaskDef => h.kind === 'task'));
    }
  }
  return { kind: 'block', name: `role ${name}`, tags: [], vars: opts.vars, pos: opts.pos, fieldPos: {}, role, block: tasks, rescue: [], always: [] };
}

function varsFile(dir: string, ctx: LoadContext): Record<string, unknown> {
  const file = firstFile(dir, MAIN);
  if (!file) return {};
  ctx.files.add(file);
  const parsed = loadYamlFile(file, 'role vars file');
  ctx.diagnostics.push(...parsed.diagnostics, ...(parsed.value === undefined ? [] : ctx.check('vars', parsed.value, file)));
  return parsed.value && typeof parsed.value === 'object' ? (parsed.value as Record<string, unknown>) : {};
}

function firstFile(dir: string, names: string[]): string | undefined {
  return names.map((n) => path.join(dir, n)).find((f) => existsSync(f) && statSync(f).isFile());
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function readRoleNames(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
