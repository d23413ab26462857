// A sandbox fleet for the benchmarks (real sshd nodes on loopback) and the inventories the three
// runners read: herdbook's YAML, Ansible's INI, and the floor's ssh targets. One fleet of the
// largest size serves every measurement; smaller ones use its first nodes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { nodePath, startFleet, type Fleet, type FleetNode } from '../../sandbox/fleet/index.js';

export type BenchFleet = {
  fleet: Fleet;
  /** The first `n` nodes. */
  nodes(n: number): FleetNode[];
  /** herdbook's inventory of the first `n` nodes (ansible_* vars, strict known_hosts). */
  herdbookInventory(n: number, dir: string): string;
  /** Ansible's INI inventory of the first `n` nodes, with the same key and known_hosts. */
  ansibleInventory(n: number, dir: string): string;
  /** Remove a path under one of the node-private roots (/run ...) on every node, from the controller. */
  clean(remotePath: string): void;
  stop(): Promise<void>;
};

export async function startBenchFleet(size: number): Promise<BenchFleet> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'hb-bench-fleet-'));
  // Above 10 parallel commands per node nothing here needs more: OpenSSH's default MaxSessions.
  const fleet = await startFleet({ stateDir, nodes: size });
  const take = (n: number) => {
    if (n > fleet.nodes.length) throw new Error(`the bench fleet has ${fleet.nodes.length} nodes, ${n} asked`);
    return fleet.nodes.slice(0, n);
  };
  return {
    fleet,
    nodes: take,
    herdbookInventory(n, dir) {
      const file = path.join(dir, `fleet-${n}.yaml`);
      const hosts = Object.fromEntries(take(n).map((node) => [node.name, { ...node.vars, ansible_ssh_known_hosts_file: fleet.knownHostsPath }]));
      writeFileSync(file, stringify({ all: { hosts } }));
      return file;
    },
    ansibleInventory(n, dir) {
      const file = path.join(dir, `fleet-${n}.ini`);
      const common = `-F /dev/null -o UserKnownHostsFile=${fleet.knownHostsPath} -o StrictHostKeyChecking=yes`;
      const lines = take(n).map((node) => `${node.name} ansible_host=127.0.0.1 ansible_port=${node.port} ansible_user=root ansible_ssh_private_key_file=${fleet.clientKeyPath}`);
      writeFileSync(file, `[fleet]\n${lines.join('\n')}\n\n[fleet:vars]\nansible_ssh_common_args='${common}'\nansible_python_interpreter=/usr/bin/python3\n`);
      return file;
    },
    clean(remotePath) {
      for (const node of fleet.nodes) rmSync(nodePath(stateDir, node.name, remotePath), { recursive: true, force: true });
    },
    async stop() {
      await fleet.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
