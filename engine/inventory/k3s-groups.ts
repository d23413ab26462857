// The group names the shipped playbooks find servers and agents under: herdbook's own, then
// k3s-ansible's (server, agent), then techno-tim's k3s-ansible (master, node). A site with other
// names sets k3s_server_group / k3s_agent_group (group_vars/all, -e); these are the defaults.
import type { GroupIndex } from './groups.js';
import type { Inventory } from './model.js';

export const K3S_SERVER_GROUPS = ['k3s_servers', 'k3s_controllers', 'server', 'master'] as const;
export const K3S_AGENT_GROUPS = ['k3s_agents', 'k3s_workers', 'agent', 'node'] as const;

/**
 * The first known name that is a group with hosts in this inventory; the first of the list when
 * none is (then a play over it matches no host and says so). One group name, not a union, so a
 * playbook can write `{{k3s_server_group}}[0]` and `groups[k3s_server_group]`.
 */
function firstGroup(inv: Inventory, idx: GroupIndex, names: readonly string[]): string {
  return names.find((g) => inv.groups.has(g) && idx.hostsOf(g).length > 0) ?? names[0];
}

/** herdbook's defaults for the group-name pair: the weakest variables of all, under role defaults. */
export function k3sGroupDefaults(
  inv: Inventory,
  idx: GroupIndex,
): { k3s_server_group: string; k3s_agent_group: string } {
  return {
    k3s_server_group: firstGroup(inv, idx, K3S_SERVER_GROUPS),
    k3s_agent_group: firstGroup(inv, idx, K3S_AGENT_GROUPS),
  };
}
