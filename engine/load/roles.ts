// Roles: roles/<name>/{tasks,handlers,defaults,vars,templates,files}, found where Ansible
// looks. A role's defaults and vars join the play the first time the play meets it (defaults are
// the weakest variables of all). Its tasks and handlers are built by tasks.ts (loadRoleBlock).
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { didYouMean } from '../suggest.js';
import type { SourcePos } from '../errors.js';
import { error, type LoadContext, type TaskScope } from './context.js';
import { loadYamlFile } from './files.js';
import type { RoleInfo } from './model.js';

const MAIN = ['main.yaml', 'main.yml', 'main'];

export function findRole(name: string, scope: TaskScope, ctx: LoadContext): string | undefined {
  const dirs = [
    path.join(ctx.playbookDir, 'roles'),
    path.join(scope.baseDir, 'roles'),
    ctx.playbookDir,
    ...ctx.rolesPath,
  ];
  if (path.isAbsolute(name)) return isDir(name) ? name : undefined;
  return dirs
    .map((d) => path.resolve(d, name))
    .find((d) => isDir(path.join(d, 'tasks')) || isDir(path.join(d, 'handlers')) || isDir(path.join(d, 'defaults')));
}

export type RoleRef = { tasksFrom?: string; pos: SourcePos; scope: TaskScope };

/** The role and its tasks file (main, or tasks_from); undefined, with an error, when it is not found. */
export function locateRole(
  name: string,
  opts: RoleRef,
  ctx: LoadContext,
): { role: RoleInfo; tasksFile?: string } | undefined {
  const dir = findRole(name, opts.scope, ctx);
  if (!dir) {
    const known = path.join(ctx.playbookDir, 'roles');
    const names = isDir(known) ? readRoleNames(known) : [];
    const where = [
      'roles/ next to the playbook',
      ...(opts.scope.baseDir !== ctx.playbookDir
        ? [`${path.relative(ctx.playbookDir, path.join(opts.scope.baseDir, 'roles'))}/`]
        : []),
      ...ctx.rolesPath,
    ];
    error(
      ctx,
      `role '${name}' not found (looked in ${where.join(', ')})`,
      opts.pos,
      didYouMean(name, names) ??
        'create roles/<name>/tasks/main.yaml, or set HERDBOOK_ROLES_PATH to the folder that holds your roles',
    );
    return undefined;
  }
  const tasksFile = firstFile(
    path.join(dir, 'tasks'),
    opts.tasksFrom ? [`${opts.tasksFrom}.yaml`, `${opts.tasksFrom}.yml`, opts.tasksFrom] : MAIN,
  );
  if (opts.tasksFrom && !tasksFile)
    error(ctx, `role '${name}' has no tasks file '${opts.tasksFrom}' in ${path.join(dir, 'tasks')}`, opts.pos);
  return { role: { name, dir }, tasksFile };
}

/** The first time the play meets the role: its defaults and vars join the play, and its handlers file, if any, is returned to load. */
export function joinPlay(role: RoleInfo, ctx: LoadContext): string | undefined {
  const extras = ctx.roleExtras;
  if (!extras || extras.loaded.has(role.dir)) return undefined;
  extras.loaded.add(role.dir);
  Object.assign(extras.defaults, varsFile(path.join(role.dir, 'defaults'), ctx));
  Object.assign(extras.vars, varsFile(path.join(role.dir, 'vars'), ctx));
  return firstFile(path.join(role.dir, 'handlers'), MAIN);
}

function varsFile(dir: string, ctx: LoadContext): Record<string, unknown> {
  const file = firstFile(dir, MAIN);
  if (!file) return {};
  ctx.files.add(file);
  const parsed = loadYamlFile(file, 'role vars file');
  ctx.diagnostics.push(
    ...parsed.diagnostics,
    ...(parsed.value === undefined ? [] : ctx.check('vars', parsed.value, file)),
  );
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
