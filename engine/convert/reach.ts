// Where a name in a playbook leads, found as Ansible finds it: import_playbook next to the
// importing playbook, task files next to the including file (then the role's tasks/, then the
// playbook's folder), roles under roles/ next to the playbook or the role path, templates under a
// role's templates/. A templated name or a role that is not installed cannot be followed.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Ref } from './yaml-file.js';

export type Origin = { file: string; playbookDir: string; roleDir?: string };

export type Found = { file: string } | { roleDir: string } | { unresolved: string };

const isDir = (p: string) => existsSync(p) && statSync(p).isDirectory();
const isFile = (p: string) => existsSync(p) && statSync(p).isFile();

function firstFile(dirs: string[], name: string, exts = ['']): string | undefined {
  for (const d of dirs) for (const e of exts) if (isFile(path.resolve(d, name + e))) return path.resolve(d, name + e);
  return undefined;
}

export function resolveRef(ref: Ref, from: Origin, rolesPath: readonly string[]): Found {
  if (/\{\{|\{%/.test(ref.name))
    return { unresolved: `a templated name: which file it is is known only when the play runs` };
  const here = path.dirname(from.file);
  const role = from.roleDir;
  switch (ref.kind) {
    case 'playbook': {
      const f = firstFile([here], ref.name);
      return f ? { file: f } : { unresolved: 'playbook not found (relative to the importing playbook)' };
    }
    case 'tasks': {
      const f = firstFile([here, ...(role ? [path.join(role, 'tasks')] : []), from.playbookDir], ref.name);
      return f ? { file: f } : { unresolved: 'task file not found' };
    }
    case 'vars': {
      const dirs = [here, ...(role ? [path.join(role, 'vars')] : []), from.playbookDir];
      const f = firstFile(dirs, ref.name, ['', '.yml', '.yaml']);
      return f ? { file: f } : { unresolved: 'vars file not found' };
    }
    case 'template': {
      const dirs = [
        ...(role ? [path.join(role, 'templates'), role] : []),
        path.join(here, 'templates'),
        here,
        path.join(from.playbookDir, 'templates'),
        from.playbookDir,
      ];
      const f = firstFile(dirs, ref.name);
      return f ? { file: f } : { unresolved: 'template not found' };
    }
    case 'role': {
      const dirs = [
        path.join(from.playbookDir, 'roles'),
        ...(role ? [path.dirname(role)] : []),
        path.join(here, 'roles'),
        from.playbookDir,
        ...rolesPath,
      ];
      const dir = path.isAbsolute(ref.name)
        ? ref.name
        : dirs
            .map((d) => path.resolve(d, ref.name))
            .find((d) => ['tasks', 'handlers', 'defaults', 'meta'].some((s) => isDir(path.join(d, s))));
      if (dir && isDir(dir)) return { roleDir: dir };
      return {
        unresolved: ref.name.includes('.')
          ? 'a Galaxy role or collection that is not installed here: install it (ansible-galaxy install) and convert again'
          : 'role not found (roles/ next to the playbook, or ANSIBLE_ROLES_PATH)',
      };
    }
  }
}

/** Every file under a folder, sorted, hidden ones skipped. */
export function filesUnder(dir: string): string[] {
  if (!isDir(dir)) return [];
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.name.startsWith('.')) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...filesUnder(p));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export const isYaml = (f: string) => /\.(ya?ml|json)$/i.test(f) || !path.basename(f).includes('.');

/** group_vars/ and host_vars/ beside a playbook or an inventory. */
export function varsDirs(dir: string): string[] {
  return ['group_vars', 'host_vars'].flatMap((d) => filesUnder(path.join(dir, d))).filter(isYaml);
}
