// -i sources → one Inventory: an INI or YAML file, a directory of them, or "h1,h2," lists;
// plus the group_vars/ and host_vars/ next to each source.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Diagnostic } from '../errors.js';
import { readInputFile } from '../load/files.js';
import { loadVarsDir } from '../load/vars-dir.js';
import { parseYamlText } from '../load/yaml.js';
import { currentVault, revealStrings } from '../vault/session.js';
import { parseIniInventory } from './ini.js';
import {
  addHostToGroup,
  emptyInventory,
  ensureHost,
  finishInventory,
  type Inventory,
  type VarsFiles,
} from './model.js';
import { parseYamlInventory } from './yaml-inventory.js';
import { translateVars } from './jinja-values.js';

export type LoadedInventory = { inventory: Inventory; diagnostics: Diagnostic[] };

const SKIP_IN_DIR = /(~|\.swp|\.bak|\.orig|\.retry|\.md|\.txt|\.pyc|\.cfg)$/;

/** `check` validates a YAML inventory document against schemas/inventory.json (injected by the caller). */
export type InventoryChecker = (doc: unknown, file: string) => Diagnostic[];

export function loadInventory(sources: readonly string[], check?: InventoryChecker): LoadedInventory {
  const inv = emptyInventory();
  const diagnostics: Diagnostic[] = [];
  for (const src of sources) {
    if (src.includes(',') && !pathExists(src)) {
      // "w-1,w-2," : a literal host list, as ansible -i accepts
      for (const h of src
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)) {
        ensureHost(inv, h);
        addHostToGroup(inv, 'ungrouped', h);
      }
      continue;
    }
    if (!pathExists(src)) {
      diagnostics.push({
        severity: 'error',
        message: `inventory not found: ${src}`,
        hint: 'give an inventory file, a directory of them, or a host list ending with a comma (h1,h2,)',
      });
      continue;
    }
    inv.sources.push(src);
    // Absolute paths from here on, so diagnostics sort and print like the playbooks'.
    const abs = path.resolve(src);
    const isDir = statSync(abs).isDirectory();
    const files = isDir
      ? readdirSync(abs)
          .sort()
          .filter((f) => !f.startsWith('.') && !SKIP_IN_DIR.test(f) && f !== 'group_vars' && f !== 'host_vars')
          .map((f) => path.join(abs, f))
          .filter((f) => statSync(f).isFile())
      : [abs];
    for (const f of files) diagnostics.push(...loadInventoryFile(inv, f, check));
    mergeVarsFiles(inv.varsFiles, isDir ? abs : path.dirname(abs), diagnostics);
  }
  return { inventory: finishInventory(inv), diagnostics };
}

function loadInventoryFile(inv: Inventory, file: string, check?: InventoryChecker): Diagnostic[] {
  const r = readInputFile(file, 'inventory');
  if (r.text === undefined) return r.diagnostics;
  if (r.text.includes('\u0000'))
    return [{ severity: 'error', message: 'this is a binary file, not an inventory', pos: { file, line: 1, col: 1 } }];
  if (looksLikeYaml(file, r.text)) {
    const parsed = parseYamlText(file, r.text);
    // A warning (an unknown %directive) is shown, and the file still loads.
    if (parsed.value === undefined || parsed.diagnostics.some((d) => d.severity === 'error')) return parsed.diagnostics;
    if (r.encrypted) revealStrings(currentVault(), parsed.value);
    const schemaErrors = check?.(parsed.value, file) ?? [];
    if (schemaErrors.some((d) => d.severity === 'error')) return [...parsed.diagnostics, ...schemaErrors];
    return [...parsed.diagnostics, ...parseYamlInventory(inv, file, parsed.value)];
  }
  // An encrypted INI inventory: every value written in it is a secret.
  if (r.encrypted) revealStrings(currentVault(), iniValues(r.text));
  return parseIniInventory(inv, file, r.text);
}

function looksLikeYaml(file: string, text: string): boolean {
  if (/\.(ya?ml|json)$/.test(file)) return true;
  if (/\.(ini|cfg)$/.test(file)) return false;
  // No extension (Ansible's "hosts" file): INI when the first meaningful line is a [section] or a host line.
  const first = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l && !l.startsWith('#') && !l.startsWith(';'));
  return !!first && !first.startsWith('[') && /^[\w.-]+:(\s|$)/.test(first);
}

export function mergeVarsFiles(into: VarsFiles, dir: string, diagnostics: Diagnostic[]): void {
  const translations = (into.translations ??= []);
  const translate = (vars: Record<string, unknown>) => void translateVars(vars, translations);
  const groups = loadVarsDir(path.join(dir, 'group_vars'), translate);
  const hosts = loadVarsDir(path.join(dir, 'host_vars'), translate);
  diagnostics.push(...groups.diagnostics, ...hosts.diagnostics);
  for (const [k, v] of groups.byName) into.groups.set(k, { ...(into.groups.get(k) ?? {}), ...v });
  for (const [k, v] of hosts.byName) into.hosts.set(k, { ...(into.hosts.get(k) ?? {}), ...v });
}

function pathExists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}

/** The values of an INI inventory's `key=value` words (host and [group:vars] lines), quotes removed. */
function iniValues(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/(?:^|\s)[\w.-]+\s*=\s*("[^"]*"|'[^']*'|\S+)/gm))
    out.push(m[1].replace(/^(["'])(.*)\1$/, '$2'));
  return out;
}
