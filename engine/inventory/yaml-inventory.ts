// Ansible's YAML inventory: all: {hosts, vars, children: {group: {hosts, vars, children}}}.
import type { Diagnostic } from '../errors.js';
import { keyPos, valuePos } from '../load/positions.js';
import { addChild, addHostToGroup, ensureGroup, ensureHost, type Inventory } from './model.js';
import { expandHostRange } from './ranges.js';
import { translateVars } from './jinja-values.js';

type GroupBody = {
  hosts?: Record<string, Record<string, unknown> | null> | null;
  vars?: Record<string, unknown> | null;
  children?: Record<string, GroupBody | null> | null;
};

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

export function parseYamlInventory(inv: Inventory, file: string, doc: unknown): Diagnostic[] {
  const diags: Diagnostic[] = [];
  if (doc === null || doc === undefined) return diags;
  if (!isMap(doc)) {
    diags.push({
      severity: 'error',
      message: 'an inventory is a mapping of groups (all: {hosts: ..., children: ...})',
      pos: valuePos(doc, 0) ?? { file, line: 1, col: 1 },
    });
    return diags;
  }
  for (const [name, body] of Object.entries(doc)) walkGroup(inv, name, body, doc, diags, file);
  return diags;
}

function walkGroup(
  inv: Inventory,
  name: string,
  body: unknown,
  parent: unknown,
  diags: Diagnostic[],
  file: string,
): void {
  const g = ensureGroup(inv, name, keyPos(parent, name));
  g.pos ??= keyPos(parent, name);
  if (body === null || body === undefined) return;
  if (!isMap(body)) {
    diags.push({
      severity: 'error',
      message: `group '${name}' must be a mapping with hosts, vars or children`,
      pos: valuePos(parent, name),
    });
    return;
  }
  const b = body as GroupBody;
  for (const key of Object.keys(b)) {
    if (!['hosts', 'vars', 'children'].includes(key)) {
      diags.push({
        severity: 'error',
        message: `unknown key '${key}' in group '${name}' (expected hosts, vars or children)`,
        pos: keyPos(body, key),
      });
    }
  }
  if (isMap(b.vars)) Object.assign(g.vars, translateVars(b.vars, inv.translations));
  if (isMap(b.hosts)) {
    for (const [hostPattern, hostVars] of Object.entries(b.hosts)) {
      let names: string[];
      try {
        names = expandHostRange(hostPattern);
      } catch (e) {
        diags.push({ severity: 'error', message: (e as Error).message, pos: keyPos(b.hosts, hostPattern) });
        continue;
      }
      if (isMap(hostVars)) translateVars(hostVars, inv.translations);
      for (const n of names) {
        const h = ensureHost(inv, n, keyPos(b.hosts, hostPattern));
        if (isMap(hostVars)) Object.assign(h.vars, hostVars);
        addHostToGroup(inv, name, n);
      }
    }
  }
  if (isMap(b.children)) {
    for (const [child, childBody] of Object.entries(b.children)) {
      addChild(inv, name, child);
      walkGroup(inv, child, childBody, b.children, diags, file);
    }
  }
}
