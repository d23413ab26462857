// Shared by every command that reads playbooks: -e parsing, validation, warnings printed,
// and an InputError (exit 4) when anything is wrong, before any host is contacted.
import { shellJoin } from '../connection/quote.js';
import { InputError, type Diagnostic } from '../errors.js';
import { parseExtraVars } from '../load/extra-vars.js';
import { formatDiagnostics } from '../report/diagnostics.js';
import { validatePlaybooks, type Validated } from '../validate/index.js';
import type { CommandIO } from './io.js';
import type { VaultFlags } from './vault-options.js';

/** rolesPath: ansible.cfg's roles_path (no flag); ANSIBLE_ROLES_PATH wins over it, as in Ansible. */
export type InputOptions = { inventory?: string[]; extraVars?: string[]; rolesPath?: string[] } & VaultFlags;

export function loadInput(
  playbooks: readonly string[],
  opts: InputOptions,
  io: CommandIO,
): Validated & { extraVars: Record<string, unknown>; warnings: Diagnostic[] } {
  const extra = parseExtraVars(opts.extraVars ?? []);
  const fromEnv = process.env.HERDBOOK_ROLES_PATH ?? process.env.ANSIBLE_ROLES_PATH;
  const v = validatePlaybooks(playbooks, {
    inventory: opts.inventory,
    extraVars: extra.vars,
    ...(opts.rolesPath && !fromEnv ? { rolesPath: opts.rolesPath } : {}),
  });
  const all = [...extra.diagnostics, ...v.diagnostics];
  const errors = all.filter((d) => d.severity === 'error');
  const warnings = all.filter((d) => d.severity === 'warning');
  if (errors.length) throw new InputError(withConvertHint(all, playbooks, opts));
  if (warnings.length) io.err(formatDiagnostics(warnings, io.paint));
  return { ...v, extraVars: extra.vars, warnings };
}

export function countTasks(v: Validated): number {
  let n = 0;
  const count = (
    nodes: { kind: string; block?: unknown[]; rescue?: unknown[]; always?: unknown[]; preloaded?: unknown[] }[],
  ) => {
    for (const node of nodes) {
      if (node.kind === 'task') n++;
      for (const k of ['block', 'rescue', 'always', 'preloaded'] as const)
        if (Array.isArray(node[k])) count(node[k] as never);
    }
  };
  for (const pb of v.playbooks)
    for (const p of pb.plays) for (const s of [p.preTasks, p.tasks, p.postTasks, p.handlers]) count(s);
  return n;
}

/**
 * Jinja in a playbook: each such error names the `herdbook convert` command that translates it all
 * (on the hint's one line: JSON output carries it as it is).
 */
function withConvertHint(all: Diagnostic[], playbooks: readonly string[], opts: InputOptions): Diagnostic[] {
  const jinja = (d: Diagnostic) => d.severity === 'error' && /Jinja|'with_[a-z_]+'/.test(d.message);
  if (!all.some(jinja)) return all;
  const argv = ['herdbook', 'convert', ...playbooks, ...(opts.inventory ?? []).flatMap((i) => ['-i', i])];
  const command = `${shellJoin([...argv, '--check'])}, then ${shellJoin([...argv, '--in-place'])}`;
  const note = `translate every Jinja expression of these playbooks: ${command}`;
  return all.map((d) => (jinja(d) ? { ...d, hint: d.hint ? `${d.hint}; or ${note}` : note } : d));
}
