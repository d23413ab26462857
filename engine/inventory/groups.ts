// Group membership queries: a group's hosts (its own, then its children's, as Ansible orders them),
// a host's groups, and group depth (for variable precedence).
import type { Inventory } from './model.js';

export type GroupIndex = {
  hostsOf(group: string): string[];
  groupsOf(host: string): string[];
  depth(group: string): number;
};

export function indexGroups(inv: Inventory): GroupIndex {
  const hostsMemo = new Map<string, string[]>();
  const depthMemo = new Map<string, number>();
  const groupsMemo = new Map<string, string[]>();
  const directGroups = new Map<string, string[]>();
  for (const g of inv.groups.values())
    for (const h of g.hosts) (directGroups.get(h) ?? directGroups.set(h, []).get(h)!).push(g.name);

  const hostsOf = (group: string, seen = new Set<string>()): string[] => {
    const memo = hostsMemo.get(group);
    if (memo) return memo;
    const g = inv.groups.get(group);
    if (!g || seen.has(group)) return [];
    seen.add(group);
    // `all` lists hosts in the order they were written; a group lists its own hosts, then its
    // children's (Ansible's get_descendants with preserve_ordering).
    const out = new Set<string>(group === 'all' ? inv.hosts.keys() : g.hosts);
    for (const kid of g.children) for (const h of hostsOf(kid, seen)) out.add(h);
    const list = [...out];
    hostsMemo.set(group, list);
    return list;
  };
  const depth = (group: string, seen = new Set<string>()): number => {
    const memo = depthMemo.get(group);
    if (memo !== undefined) return memo;
    const g = inv.groups.get(group);
    if (!g || seen.has(group) || !g.parents.length) return 0;
    seen.add(group);
    const d = 1 + Math.max(...g.parents.map((p) => depth(p, seen)));
    depthMemo.set(group, d);
    return d;
  };
  const groupsOf = (host: string): string[] => {
    const memo = groupsMemo.get(host);
    if (memo) return memo;
    const out = new Set<string>(['all']);
    const visit = (g: string) => {
      if (out.has(g) && g !== 'all') return;
      out.add(g);
      for (const p of inv.groups.get(g)?.parents ?? []) visit(p);
    };
    for (const g of directGroups.get(host) ?? []) visit(g);
    const list = [...out].sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
    groupsMemo.set(host, list);
    return list;
  };
  return { hostsOf: (g) => hostsOf(g), groupsOf, depth: (g) => depth(g) };
}
