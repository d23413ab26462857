// Play keywords (hosts, serial, vars_files, gather_facts, ...) are rendered before a play has
// hosts: with -e, play and role vars, the inventory's `all` vars and herdbook's defaults. The same
// answer for validate, list-hosts and run.
import type { Play } from '../load/model.js';
import { createTemplater, Scope, type Layer } from '../template/index.js';
import type { GroupIndex } from './groups.js';
import { allGroupVars } from './host-vars.js';
import { k3sGroupDefaults } from './k3s-groups.js';
import type { Inventory, VarsFiles } from './model.js';

/**
 * What the inventory gives play keywords: the magic `groups` (Ansible renders `hosts:
 * "{{ groups['server'][0] }}"` with it), the `all` group's variables (herdbook's addition:
 * Ansible renders `hosts:` without any inventory variable) and herdbook's defaults
 * (k3s_server_group, k3s_agent_group), the weakest of all.
 */
export type InventoryLevel = { magic: Layer; all: Layer; defaults: Layer };

export function inventoryLevel(inv: Inventory, idx: GroupIndex, playbookFiles?: VarsFiles): InventoryLevel {
  return {
    // A getter: most plays' hosts are plain patterns that never read it.
    magic: {
      get groups() {
        return Object.fromEntries([...inv.groups.keys()].map((g) => [g, idx.hostsOf(g)]));
      },
    },
    all: allGroupVars(inv, playbookFiles),
    defaults: k3sGroupDefaults(inv, idx),
  };
}

/**
 * The variables play keywords (hosts, serial, vars_files, gather_facts, ...) are rendered with,
 * strongest first: -e, `groups` (after -e, as in a task's scope), play vars, role vars, the inventory's `all` vars, role defaults, herdbook's
 * defaults. No host's own variables: a play's hosts are not known yet.
 */
export function playLevelScope(play: Play, extraVars: Record<string, unknown>, level?: InventoryLevel): Scope {
  return new Scope([
    extraVars,
    ...(level ? [level.magic] : []),
    play.vars ?? {},
    play.roleVars,
    ...(level ? [level.all] : []),
    play.roleDefaults,
    ...(level ? [level.defaults] : []),
  ]);
}

/** Play-level values (hosts, serial) may be templates of play vars, -e vars and the inventory's `all` vars. */
export function renderPlayKeywords(
  play: Play,
  extraVars: Record<string, unknown>,
  level?: InventoryLevel,
): { hosts: string | string[]; serial: unknown } {
  const t = createTemplater();
  const scope = playLevelScope(play, extraVars, level);
  return {
    hosts: t.renderDeep(play.hosts, scope, play.fieldPos.hosts) as string | string[],
    serial: t.renderDeep(play.serial, scope, play.fieldPos.serial),
  };
}
