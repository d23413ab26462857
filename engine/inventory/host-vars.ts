// A host's inventory variables with Ansible's precedence (weakest first):
// inventory-file group vars (all, then parents, then children) < group_vars/all (inventory,
// then playbook dir) < group_vars/<group> < inventory-file host vars < host_vars/<host>.
import type { GroupIndex } from './groups.js';
import type { Inventory, VarsFiles } from './model.js';

export function inventoryVars(
  inv: Inventory,
  idx: GroupIndex,
  host: string,
  playbookFiles?: VarsFiles,
): Record<string, unknown> {
  const groups = idx.groupsOf(host);
  const out: Record<string, unknown> = {};
  for (const g of groups) Object.assign(out, inv.groups.get(g)?.vars);
  for (const files of [inv.varsFiles, playbookFiles]) Object.assign(out, files?.groups.get('all'));
  for (const g of groups) {
    if (g === 'all') continue;
    for (const files of [inv.varsFiles, playbookFiles]) Object.assign(out, files?.groups.get(g));
  }
  Object.assign(out, inv.hosts.get(host)?.vars);
  for (const files of [inv.varsFiles, playbookFiles]) Object.assign(out, files?.hosts.get(host));
  return out;
}

/**
 * The variables of the `all` group alone ([all:vars], all: vars:, group_vars/all beside the
 * inventory, then beside the playbook): the same for every host unless a host or group overrides
 * them, so herdbook lets play keywords read them (hosts:, serial:); Ansible does not.
 */
export function allGroupVars(inv: Inventory, playbookFiles?: VarsFiles): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  return Object.assign(
    out,
    inv.groups.get('all')?.vars,
    inv.varsFiles.groups.get('all'),
    playbookFiles?.groups.get('all'),
  );
}
