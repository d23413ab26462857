// A sandbox fleet for the benchmarks (real sshd nodes on loopback) and the inventories the three
// runners read: herdbook's YAML, Ansible's INI, and the floor's ssh targets. One fleet of the
// largest size serves every measurement; smaller ones use its first nodes.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

/**
 * Gives each node an empty /root of its own (a bind mount inside the node's own mount namespace;
 * the machine's /root is untouched). sshd runs every command through root's login shell, and
 * Debian's bash reads ~/.bashrc for ssh sessions: a developer's dotfiles (pyenv init: ~300 ms
 * here) would then weigh on every command of every runner, as they would on no real node.
 */
function cleanHomes(stateDir: string, nodes: readonly FleetNode[]): void {
  for (const node of nodes) {
    const home = path.join(stateDir, 'homes', node.name);
    mkdirSync(home, { recursive: true, mode: 0o700 });
    const r = spawnSync('nsenter', [`--mount=/proc/${node.pid}/ns/mnt`, '--', 'mount', '--bind', home, '/root'], {
      encoding: 'utf8',
    });
    if (r.status !== 0)
      throw new Error(
        `cannot give fleet node ${node.name} a clean /root: ${(r.stderr || r.error?.message || '').trim()} (--real-home keeps the machine's)`,
      );
  }
}

export async function startBenchFleet(size: number, opts: { realHome?: boolean } = {}): Promise<BenchFleet> {
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'hb-bench-fleet-'));
  // Above 10 parallel commands per node nothing here needs more: OpenSSH's default MaxSessions.
  const fleet = await startFleet({ stateDir, nodes: size });
  try {
    if (!opts.realHome) cleanHomes(stateDir, fleet.nodes);
  } catch (e) {
    await fleet.stop();
    throw e;
  }
  const take = (n: number) => {
    if (n > fleet.nodes.length) throw new Error(`the bench fleet has ${fleet.nodes.length} nodes, ${n} asked`);
    return fleet.nodes.slice(0, n);
  };
  return {
    fleet,
    nodes: take,
    herdbookInventory(n, dir) {
      const file = path.join(dir, `fleet-${n}.yaml`);
      const hosts = Object.fromEntries(
        take(n).map((node) => [node.name, { ...node.vars, ansible_ssh_known_hosts_file: fleet.knownHostsPath }]),
      );
      writeFileSync(file, stringify({ all: { hosts } }));
      return file;
    },
    ansibleInventory(n, dir) {
      const file = path.join(dir, `fleet-${n}.ini`);
      const common = `-F /dev/null -o UserKnownHostsFile=${fleet.knownHostsPath} -o StrictHostKeyChecking=yes`;
      const lines = take(n).map(
        (node) =>
          `${node.name} ansible_host=127.0.0.1 ansible_port=${node.port} ansible_user=root ansible_ssh_private_key_file=${fleet.clientKeyPath}`,
      );
      writeFileSync(
        file,
        `[fleet]\n${lines.join('\n')}\n\n[fleet:vars]\nansible_ssh_common_args='${common}'\nansible_python_interpreter=/usr/bin/python3\n`,
      );
      return file;
    },
    clean(remotePath) {
      for (const node of fleet.nodes)
        rmSync(nodePath(stateDir, node.name, remotePath), { recursive: true, force: true });
    },
    async stop() {
      await fleet.stop();
      rmSync(stateDir, { recursive: true, force: true });
    },
  };
}
