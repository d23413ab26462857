// The sandbox's k3s as an operator's first install left it: the first server with
// --cluster-init, the other servers joined to it, the agents with K3S_URL and the token; then
// the workloads, once the nodes are Ready. `sandbox up --no-k3s` skips all of it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Fleet } from '../fleet/index.js';
import { k3sNodePaths, preinstallK3s, registerContainer } from '../k3s-fake/index.js';
import type { SandboxNode } from './state.js';
import { deployWorkloads } from './workloads.js';

export type InstallTarget = {
  stateDir: string;
  version: string;
  real: boolean;
  simDir: string;
  adminUrl: string;
  proxmox: boolean;
  log: (line: string) => void;
};

export async function installAndDeploy(t: InstallTarget, nodes: SandboxNode[], fleet: Fleet): Promise<void> {
  const { version } = t;
  const k3sNodes = nodes.filter((n) => n.role === 'server' || n.role === 'agent');
  const first = k3sNodes.find((n) => n.role === 'server')!;
  t.log(`installing k3s ${version} on ${k3sNodes.map((n) => n.name).join(', ')}...`);
  await preinstallK3s(first.root, { version, role: 'server', args: ['--cluster-init', '--disable', 'traefik'] });
  const token = (await readFile(k3sNodePaths(first.root).nodeToken, 'utf8')).trim();
  const joinEnv = { K3S_URL: 'https://s-1:6443', K3S_TOKEN: token };
  for (const n of k3sNodes.filter((x) => x !== first)) {
    await preinstallK3s(
      n.root,
      n.role === 'server'
        ? {
            version,
            role: 'server',
            args: ['--server', 'https://s-1:6443', '--disable', 'traefik'],
            env: { K3S_TOKEN: token },
          }
        : { version, role: 'agent', args: ['--node-label', 'sandbox=true'], env: joinEnv },
    );
  }
  if (t.proxmox) await registerContainers(t.stateDir, nodes, fleet);
  t.log('deploying the workloads once the nodes are Ready...');
  await deployWorkloads({
    kubeconfig: path.join(t.simDir, 'kubeconfig.yaml'),
    adminUrl: t.adminUrl,
    dir: t.simDir,
    nodes: k3sNodes.map((n) => n.name),
    timeoutMs: t.real ? 120_000 : 30_000,
  });
}

/** Each node a container (its vmid) behind the Proxmox node, entered by `pct`. */
export async function registerContainers(stateDir: string, nodes: SandboxNode[], fleet: Fleet): Promise<void> {
  for (const n of nodes.filter((x) => x.role !== 'proxmox'))
    await registerContainer(path.join(stateDir, 'fleet'), 'pve', n.vmid!, n.name, fleet.node(n.name).pid);
}
