// group_vars/ and host_vars/: <name>.yaml|.yml|.json|no extension, or a folder <name>/ whose
// files are merged in name order.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { loadYamlFile } from './files.js';

const VAR_EXT = /\.(ya?ml|json)$/;
const IGNORED = /(~|\.swp|\.bak|\.orig|\.retry|\.md|\.txt)$/;

export type VarsDir = { byName: Map<string, Record<string, unknown>>; diagnostics: Diagnostic[] };

/** `each`: called with every file's mapping before it is merged (positions are still on it then). */
export function loadVarsDir(dir: string, each?: (vars: Record<string, unknown>) => void): VarsDir {
  const byName = new Map<string, Record<string, unknown>>();
  const diagnostics: Diagnostic[] = [];
  if (!existsSync(dir)) return { byName, diagnostics };
  for (const entry of readdirSync(dir).sort()) {
    if (entry.startsWith('.') || IGNORED.test(entry)) continue;
    const full = path.join(dir, entry);
    const files = statSync(full).isDirectory()
      ? readdirSync(full)
          .sort()
          .filter((f) => !f.startsWith('.') && !IGNORED.test(f))
          .map((f) => path.join(full, f))
      : [full];
    const name = statSync(full).isDirectory() ? entry : entry.replace(VAR_EXT, '');
    for (const f of files) {
      if (statSync(f).isDirectory()) continue;
      const parsed = loadYamlFile(f, 'vars file');
      diagnostics.push(...parsed.diagnostics);
      if (parsed.value === null || parsed.value === undefined) continue;
      if (typeof parsed.value !== 'object' || Array.isArray(parsed.value)) {
        diagnostics.push({
          severity: 'error',
          message: 'a vars file must be a mapping of variable names to values',
          pos: { file: f, line: 1, col: 1 },
        });
        continue;
      }
      each?.(parsed.value as Record<string, unknown>);
      byName.set(name, { ...(byName.get(name) ?? {}), ...(parsed.value as Record<string, unknown>) });
    }
  }
  return { byName, diagnostics };
}
