// Where a case's hosts are. Names say it: `l1`, `l2`... are local; `s1`, `s2`... are the
// fleet's sshd nodes logged into as root; `p1` is the first node as hb-passwd, whose sudo asks
// for a password (`fleet_become_password`); `k1`... are the nodes with no login user (a
// keyword or variable of the play says it), `a1`... with neither user nor port (`fleet_ports`
// lists the ports). Any other name gets no connection variables from here (its inventory or
// playbook says how to reach it, or it is unreachable).
// Every host gets `out`: its own directory under the run's out root.
import { mkdirSync, chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { loadInventory } from '../../../engine/inventory/load.js';

export type FleetInfo = {
  ports: number[];
  key: string;
  knownHosts: string;
  becomePassword: string;
  becomeUser: string;
};

/**
 * http: the base URL of the loopback HTTP server (harness/http-server.ts), `http_base` in the inventory;
 * pacman: the pacman case's repositories (harness/pacman-repos.ts), `pacman_repo` and `pacman_repo_newer`.
 */
export type World = { fleet?: FleetInfo; http?: string; pacman?: { base: string; newer: string } };

export function hostVars(host: string, out: string, w: World): Record<string, unknown> {
  const vars: Record<string, unknown> = { out: path.join(out, host) };
  if (/^l\d+$/.test(host)) return { ...vars, ansible_connection: 'local' };
  const m = /^([spka])(\d+)$/.exec(host);
  if (!m) return vars;
  if (!w.fleet) throw new Error(`host ${host} needs the sshd fleet, which did not start`);
  const port = w.fleet.ports[(Number(m[2]) - 1) % w.fleet.ports.length];
  return {
    ...vars,
    ansible_host: '127.0.0.1',
    ...(m[1] === 'a' ? {} : { ansible_port: port }),
    ...(m[1] === 's' ? { ansible_user: 'root' } : m[1] === 'p' ? { ansible_user: w.fleet.becomeUser } : {}),
    ansible_ssh_private_key_file: w.fleet.key,
    // herdbook's name for it; Ansible reads UserKnownHostsFile from ANSIBLE_SSH_ARGS.
    ansible_ssh_known_hosts_file: w.fleet.knownHosts,
  };
}

/** The case's hosts, read with herdbook's own loader (both tools read the same files). */
export function caseHosts(inventory: string): string[] {
  const { inventory: inv, diagnostics } = loadInventory([inventory]);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(`${inventory}: ${errors.map((d) => d.message).join('; ')}`);
  return [...inv.hosts.keys()];
}

/**
 * A second inventory source with each host's connection variables and `out`; the out dirs made, writable by every login user.
 * `acct`: a prefix for account names, one per tool, since both tools run a case at once on the
 * same sshd node and a node's users and groups are shared by its runs (compared as `<acct>`).
 */
export function writeConnectionInventory(file: string, hosts: string[], out: string, w: World, acct?: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  mkdirSync(out, { recursive: true });
  chmodSync(out, 0o777);
  for (const h of hosts) {
    mkdirSync(path.join(out, h), { recursive: true });
    chmodSync(path.join(out, h), 0o777);
  }
  const doc = {
    all: {
      vars: {
        out_root: out,
        ...(acct ? { acct } : {}),
        ...(w.http ? { http_base: w.http } : {}),
        ...(w.pacman ? { pacman_repo: w.pacman.base, pacman_repo_newer: w.pacman.newer } : {}),
        ...(w.fleet ? { fleet_become_password: w.fleet.becomePassword, fleet_ports: w.fleet.ports } : {}),
      },
      hosts: Object.fromEntries(hosts.map((h) => [h, hostVars(h, out, w)])),
    },
  };
  writeFileSync(file, stringify(doc));
}
