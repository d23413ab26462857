// `herdbook convert PLAYBOOK... --out DIR | --in-place | --check`: an Ansible repository's Jinja
// rewritten in herdbook's expression language (engine/convert), the rest of it kept byte for byte.
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { convertPaths, type ConvertedFile } from '../convert/index.js';
import { summarize, type ConvertItem } from '../convert/report.js';
import { displayPath } from '../report/diagnostics.js';
import { renderDiff } from '../report/diff.js';
import { createSchemaRegistry } from '../validate/schemas.js';
import type { CommandIO } from './io.js';

export type ConvertFlags = {
  out?: string;
  inPlace?: boolean;
  check?: boolean;
  detailedExitcode?: boolean;
  output?: 'text' | 'json';
  inventory?: string[];
  rewriteInventory?: boolean;
  rolesPath?: string[];
};

export function convertCommand(paths: string[], o: ConvertFlags, io: CommandIO): number {
  const modes = [o.out !== undefined, Boolean(o.inPlace), Boolean(o.check)].filter(Boolean).length;
  if (modes !== 1) throw new UsageError('convert: give exactly one of --out DIR, --in-place or --check');
  if (o.detailedExitcode && !o.check) throw new UsageError('convert: --detailed-exitcode goes with --check');
  const fromEnv = process.env.HERDBOOK_ROLES_PATH ?? process.env.ANSIBLE_ROLES_PATH;
  const rolesPath = fromEnv ? fromEnv.split(':').filter(Boolean) : (o.rolesPath ?? []);
  const r = convertPaths(paths, {
    inventories: o.inventory,
    rolesPath,
    rewriteInventory: o.rewriteInventory,
    schemas: createSchemaRegistry().modules,
  });
  if (r.diagnostics.length) throw new InputError(r.diagnostics);
  const changed = r.files.filter((f) => f.after !== f.before);
  if (o.check)
    for (const f of changed) if (o.output !== 'json') io.out(renderDiff({ path: displayPath(f.file), ...f }, io.paint));
  if (o.inPlace) for (const f of changed) writeFileSync(f.file, f.after);
  const written = o.out !== undefined ? writeOut(paths, o, r.files, io) : undefined;
  report(r.items, o, io, { changed: changed.length, written });
  const s = summarize(r.items);
  if (s.left || s.unresolved) return 2;
  if (o.check && o.detailedExitcode && changed.length) return 10;
  return 0;
}

/** The common folder of the inputs: what --out reproduces. */
function rootOf(paths: readonly string[]): string {
  const dirs = paths.map((p) => path.dirname(path.resolve(p)));
  return dirs.reduce((a, b) => {
    while (a !== path.dirname(a) && path.relative(a, b).startsWith('..')) a = path.dirname(a);
    return a;
  });
}

/**
 * `src` copied into `to`, without .git and without `skip` (the --out folder, which may lie inside
 * the tree: `--out converted`). Node's cpSync refuses a destination inside its source before any
 * filter runs, so the folders on the way to `skip` are walked here and the rest copied whole.
 */
function copyTreeExcept(src: string, to: string, skip: string): void {
  for (const e of readdirSync(src, { withFileTypes: true })) {
    const from = path.join(src, e.name);
    if (e.name === '.git' || from === skip) continue;
    const target = path.join(to, e.name);
    if (e.isDirectory() && !path.relative(from, skip).startsWith('..')) {
      mkdirSync(target, { recursive: true });
      copyTreeExcept(from, target, skip);
    } else cpSync(from, target, { recursive: true, filter: (f) => path.basename(f) !== '.git' });
  }
}

function writeOut(paths: string[], o: ConvertFlags, files: readonly ConvertedFile[], io: CommandIO): number {
  const root = rootOf([...paths, ...(o.inventory ?? []).map((i) => path.join(path.resolve(i), 'x'))]);
  const dest = path.resolve(o.out!);
  if (dest === root || !path.relative(dest, root).startsWith('..'))
    throw new UsageError(`convert: --out ${o.out} must be outside ${displayPath(root)}, the folder being converted`);
  mkdirSync(dest, { recursive: true });
  // The whole tree first (ansible.cfg, files/, what convert does not understand), byte for byte.
  copyTreeExcept(root, dest, dest);
  let n = 0;
  for (const f of files) {
    const rel = path.relative(root, f.file);
    if (rel.startsWith('..')) {
      io.err(`herdbook: ${displayPath(f.file)} is outside ${displayPath(root)}: not written to ${o.out}`);
      continue;
    }
    if (f.after === f.before) continue;
    writeFileSync(path.join(dest, rel), f.after);
    n++;
  }
  return n;
}

function report(
  items: ConvertItem[],
  o: ConvertFlags,
  io: CommandIO,
  done: { changed: number; written?: number },
): void {
  const shown = (i: ConvertItem): ConvertItem => ({ ...i, file: displayPath(i.file) });
  const s = summarize(items);
  if (o.output === 'json') {
    for (const i of items) io.out(JSON.stringify(shown(i)));
    io.out(JSON.stringify(s));
    return;
  }
  for (const i of items) {
    if (i.type === 'left')
      io.out(
        `${displayPath(i.file)}:${i.line}:${i.col}: left ${i.what}: ${oneLine(i.jinja)}: ${i.why}${i.write ? ` (write: ${i.write})` : ''}`,
      );
    else if (i.type === 'unresolved')
      io.out(`${displayPath(i.file)}:${i.line}:${i.col}: not followed: ${oneLine(i.ref)}: ${i.why}`);
  }
  const files = items.filter((i) => i.type === 'file').length;
  const action = o.check
    ? `${done.changed} file${done.changed === 1 ? '' : 's'} would change`
    : o.inPlace
      ? `${done.changed} file${done.changed === 1 ? '' : 's'} rewritten`
      : `${done.written ?? 0} file${done.written === 1 ? '' : 's'} converted into ${o.out}`;
  io.out(
    `${s.converted} of ${s.constructs} constructs converted, ${s.left} left${s.unresolved ? `, ${s.unresolved} references not followed` : ''} (${files} files read); ${action}`,
  );
}

function oneLine(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, ' ');
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}
