// A conformance case: a directory with case.yaml (what to compare, the flags, the expected
// differences), an inventory, ansible.yaml (Jinja) and herdbook.yaml (Handlebars). Other files
// are shared, except `X.ansible.yaml` / `X.herdbook.yaml` pairs (task files, roles), which each
// tool sees as `X.yaml`.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Tool } from './outcome.js';

export const CASES_DIR = path.resolve(import.meta.dirname, '../cases');

/** A difference herdbook makes on purpose, with the README line it follows. */
export type Declared = {
  what: 'status' | 'items' | 'registered' | 'order' | 'file' | 'recap' | 'exit';
  host?: string;
  task?: string;
  field?: string;
  ansible?: unknown;
  herdbook?: unknown;
  readme: string;
};

export type CaseSpec = {
  name: string;
  dir: string;
  title: string;
  /** Keywords and features this case exercises (the coverage list in the README). */
  covers: string[];
  /** Passed to both tools, after the playbook and inventories. */
  flags: string[];
  /** task name → fields of its registered value to compare (`results.rc` maps over a loop). */
  registered: Record<string, string[]>;
  differences: Declared[];
  inventory: string;
  /**
   * Where herdbook on convert(ansible.yaml) differs from herdbook on herdbook.yaml on purpose
   * (`converted_differences`: `ansible` is herdbook.yaml's side, `herdbook` the conversion's).
   */
  convertedDifferences: Declared[];
  /** Only ansible.yaml: the herdbook side is `herdbook convert`'s output, made at test time. */
  convertOnly: boolean;
};

export function listCases(filter = process.env.HERDBOOK_CONFORMANCE_CASES): CaseSpec[] {
  const re = filter ? new RegExp(filter) : undefined;
  return readdirSync(CASES_DIR)
    .filter((d) => statSync(path.join(CASES_DIR, d)).isDirectory() && (!re || re.test(d)))
    .sort()
    .map(loadCase);
}

export function loadCase(name: string): CaseSpec {
  const dir = path.join(CASES_DIR, name);
  const spec = (parse(readFileSync(path.join(dir, 'case.yaml'), 'utf8')) ?? {}) as Partial<CaseSpec> & {
    inventory?: string;
    converted_differences?: Declared[];
  };
  const inventory = spec.inventory ?? ['inventory.ini', 'inventory.yaml'].find((f) => existsSync(path.join(dir, f)));
  if (!inventory) throw new Error(`case ${name}: no inventory.ini or inventory.yaml`);
  if (!existsSync(path.join(dir, 'ansible.yaml'))) throw new Error(`case ${name}: ansible.yaml is missing`);
  return {
    name,
    dir,
    title: spec.title ?? name,
    covers: spec.covers ?? [],
    flags: (spec.flags ?? []).map(String),
    registered: spec.registered ?? {},
    differences: spec.differences ?? [],
    inventory,
    convertedDifferences: spec.converted_differences ?? [],
    convertOnly: !existsSync(path.join(dir, 'herdbook.yaml')),
  };
}

const TOOL_FILE = /\.(ansible|herdbook)(\.[^./]+)$/;

/** The case as `tool` sees it, copied to `dest`: its playbook is `playbook.yaml`. */
export function materialize(c: CaseSpec, tool: Tool, dest: string): string {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  cpSync(c.dir, dest, {
    recursive: true,
    filter: (src) => {
      const base = path.basename(src);
      if (src === c.dir) return true;
      if (path.dirname(src) === c.dir && ['case.yaml', 'ansible.yaml', 'herdbook.yaml'].includes(base)) return false;
      const m = TOOL_FILE.exec(base);
      return !m || m[1] === tool;
    },
  });
  cpSync(path.join(c.dir, `${tool}.yaml`), path.join(dest, 'playbook.yaml'));
  renameToolFiles(dest);
  return path.join(dest, 'playbook.yaml');
}

function renameToolFiles(dir: string): void {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) renameToolFiles(p);
    else if (TOOL_FILE.test(e.name)) renameSync(p, path.join(dir, e.name.replace(TOOL_FILE, '$2')));
  }
}

/** The README's "What differs from Ansible, on purpose" list, whitespace-folded. */
export function readmeDifferences(readme: string): string {
  const start = readme.indexOf('What differs from Ansible, on purpose:');
  if (start < 0) throw new Error('README.md has no "What differs from Ansible, on purpose:" section');
  const end = readme.indexOf('\n## ', start);
  return fold(readme.slice(start, end < 0 ? undefined : end));
}

export function fold(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
