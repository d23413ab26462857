// The inventory as loaded: hosts and groups in the order they were written.
import type { SourcePos } from '../errors.js';
import type { JinjaTranslation } from './jinja-values.js';

export type InvHost = {
  name: string;
  /** Vars written on the host in the inventory file itself. */
  vars: Record<string, unknown>;
  pos?: SourcePos;
};

export type InvGroup = {
  name: string;
  vars: Record<string, unknown>;
  /** Direct members, in order. */
  hosts: string[];
  children: string[];
  parents: string[];
  pos?: SourcePos;
};

export type VarsFiles = {
  /** group name → vars from group_vars/<group>(.yaml|/); host name → from host_vars. */
  groups: Map<string, Record<string, unknown>>;
  hosts: Map<string, Record<string, unknown>>;
  /** Values that were Jinja, and what they are read as now (said once each with -v). */
  translations?: JinjaTranslation[];
};

export type Inventory = {
  hosts: Map<string, InvHost>;
  groups: Map<string, InvGroup>;
  /** group_vars/ and host_vars/ next to the inventory sources. */
  varsFiles: VarsFiles;
  sources: string[];
  /** Values in the inventory files themselves that were Jinja, and what they are read as now. */
  translations: JinjaTranslation[];
};

export function emptyInventory(): Inventory {
  const inv: Inventory = {
    hosts: new Map(),
    groups: new Map(),
    varsFiles: { groups: new Map(), hosts: new Map() },
    sources: [],
    translations: [],
  };
  ensureGroup(inv, 'all');
  ensureGroup(inv, 'ungrouped');
  addChild(inv, 'all', 'ungrouped');
  return inv;
}

export function ensureGroup(inv: Inventory, name: string, pos?: SourcePos): InvGroup {
  let g = inv.groups.get(name);
  if (!g) {
    g = { name, vars: {}, hosts: [], children: [], parents: [], pos };
    inv.groups.set(name, g);
  }
  return g;
}

export function ensureHost(inv: Inventory, name: string, pos?: SourcePos): InvHost {
  let h = inv.hosts.get(name);
  if (!h) {
    h = { name, vars: {}, pos };
    inv.hosts.set(name, h);
  }
  return h;
}

export function addHostToGroup(inv: Inventory, group: string, host: string): void {
  const g = ensureGroup(inv, group);
  if (!g.hosts.includes(host)) g.hosts.push(host);
}

export function addChild(inv: Inventory, parent: string, child: string): void {
  const p = ensureGroup(inv, parent);
  const c = ensureGroup(inv, child);
  if (!p.children.includes(child)) p.children.push(child);
  if (!c.parents.includes(parent)) c.parents.push(parent);
}

/**
 * Ansible's bookkeeping after loading: every group without a parent is a child of `all`,
 * and every host in no group but `all` is in `ungrouped`.
 */
export function finishInventory(inv: Inventory): Inventory {
  for (const g of inv.groups.values()) {
    if (g.name !== 'all' && g.parents.length === 0) addChild(inv, 'all', g.name);
  }
  const grouped = new Set<string>();
  for (const g of inv.groups.values())
    if (g.name !== 'all' && g.name !== 'ungrouped') g.hosts.forEach((h) => grouped.add(h));
  const ungrouped = ensureGroup(inv, 'ungrouped');
  for (const h of inv.hosts.keys()) if (!grouped.has(h) && !ungrouped.hosts.includes(h)) ungrouped.hosts.push(h);
  ungrouped.hosts = ungrouped.hosts.filter((h) => !grouped.has(h));
  return inv;
}
