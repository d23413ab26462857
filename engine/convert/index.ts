// `herdbook convert`'s engine: from playbooks (and inventories) to every file they reach, each
// converted in memory. Nothing is written here; the command decides (--out, --in-place, --check).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { isVaultText } from '../vault/envelope.js';
import { convertTemplateFile } from './template-file.js';
import { filesUnder, isYaml, resolveRef, varsDirs, type Origin } from './reach.js';
import { Collector, type ConvertItem, type FileAction } from './report.js';
import { convertYamlFile, type FileKind, type Schemas } from './yaml-file.js';

export type ConvertOptions = {
  inventories?: readonly string[];
  rolesPath?: readonly string[];
  /** Rewrite inventories, group_vars/ and host_vars/ too (by default they stay Ansible's). */
  rewriteInventory?: boolean;
  schemas: Schemas;
};

type Kind = FileKind | 'template' | 'inventory' | 'other';

export type ConvertedFile = { file: string; kind: Kind; before: string; after: string; action: FileAction };

export type ConvertResult = {
  files: ConvertedFile[];
  items: ConvertItem[];
  /** Input that cannot be read: exit 4, nothing written. */
  diagnostics: Diagnostic[];
};

const ROLE_FOLDERS: [string, Kind][] = [
  ['tasks', 'tasks'],
  ['handlers', 'tasks'],
  ['defaults', 'vars'],
  ['vars', 'vars'],
  ['meta', 'meta'],
  ['templates', 'template'],
];

export function convertPaths(inputs: readonly string[], opts: ConvertOptions): ConvertResult {
  const out = new Collector();
  const diagnostics: Diagnostic[] = [];
  const files = new Map<string, ConvertedFile>();
  const roles = new Set<string>();
  const queue: { file: string; kind: Kind; origin: Origin }[] = [];
  const enqueue = (file: string, kind: Kind, origin: Origin) => {
    if (!files.has(file) && !queue.some((q) => q.file === file)) queue.push({ file, kind, origin });
  };
  const addRole = (dir: string, origin: Origin) => {
    if (roles.has(dir)) return;
    roles.add(dir);
    const o = { ...origin, roleDir: dir };
    for (const [folder, kind] of ROLE_FOLDERS)
      for (const f of filesUnder(path.join(dir, folder)))
        enqueue(
          f,
          kind === 'template' ? (isYaml(f) || f.endsWith('.j2') ? 'template' : 'other') : isYaml(f) ? kind : 'other',
          { ...o, file: f },
        );
  };

  for (const p of inputs) {
    const file = path.resolve(p);
    const playbookDir = path.dirname(file);
    enqueue(file, file.endsWith('.j2') ? 'template' : 'playbook', { file, playbookDir });
    for (const v of varsDirs(playbookDir)) enqueue(v, 'inventory', { file: v, playbookDir });
  }
  for (const i of opts.inventories ?? []) {
    const file = path.resolve(i);
    for (const f of filesUnder(file).length ? filesUnder(file) : [file])
      enqueue(f, isYaml(f) ? 'inventory' : 'other', { file: f, playbookDir: path.dirname(file) });
    for (const v of varsDirs(filesUnder(file).length ? file : path.dirname(file)))
      enqueue(v, 'inventory', { file: v, playbookDir: path.dirname(file) });
  }

  while (queue.length) {
    const { file, kind, origin } = queue.shift()!;
    let before: string;
    try {
      before = readFileSync(file, 'utf8');
    } catch (e) {
      diagnostics.push({ severity: 'error', message: `cannot read ${file}: ${(e as Error).message}` });
      continue;
    }
    const keep = (action: FileAction) => files.set(file, { file, kind, before, after: before, action });
    if (kind === 'other' || isVaultText(before)) {
      keep('kept');
      continue;
    }
    if (kind === 'template') {
      const after = convertTemplateFile(file, before, out);
      files.set(file, { file, kind, before, after, action: after === before ? 'unchanged' : 'converted' });
      continue;
    }
    const r = convertYamlFile(file, before, kind === 'inventory' ? 'vars' : kind, out, opts.schemas);
    if ('diagnostics' in r) {
      diagnostics.push(...r.diagnostics);
      continue;
    }
    if (kind === 'inventory' && !opts.rewriteInventory) keep('kept');
    else files.set(file, { file, kind, before, after: r.text, action: r.text === before ? 'unchanged' : 'converted' });
    for (const ref of r.refs) {
      const found = resolveRef(ref, origin, opts.rolesPath ?? []);
      const here = { ...origin, file };
      // A role's templates/ is converted whole: a templated src there (with_first_found's item) needs no following.
      if ('unresolved' in found && ref.kind === 'template' && origin.roleDir && /\{\{/.test(ref.name)) continue;
      if ('unresolved' in found)
        out.add({ type: 'unresolved', file, line: ref.line, col: ref.col, ref: ref.name, why: found.unresolved });
      else if ('roleDir' in found) addRole(found.roleDir, here);
      else {
        const next: Kind = ref.kind === 'role' ? 'tasks' : ref.kind;
        const o: Origin =
          ref.kind === 'playbook'
            ? { file: found.file, playbookDir: path.dirname(found.file) }
            : { ...here, file: found.file };
        enqueue(found.file, next, o);
      }
    }
  }
  for (const f of files.values()) out.add({ type: 'file', file: f.file, action: f.action });
  return { files: [...files.values()], items: out.items, diagnostics };
}
