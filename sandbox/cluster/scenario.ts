// The simulated cluster the sandbox runs: its nodes report the k3s installed on the fleet
// nodes, and it carries the workloads an upgrade must respect (a Deployment with a
// PodDisruptionBudget, a DaemonSet, a claim). The two are separate documents: the API starts
// with the nodes, the workloads come once the nodes are Ready (workloads.ts), as on a real
// cluster whose user deploys after the agents joined.
import type { Scenario } from '../kube-sim/index.js';
import { k3sNodeCommands } from './node-commands.js';
import type { SandboxNode } from './state.js';

/** `installed: false`: no node has k3s yet (`sandbox up --no-k3s`), so every one joins like a spare. */
export function sandboxScenario(nodes: SandboxNode[], o: { installed: boolean } = { installed: true }): Scenario {
  const k3s = nodes.filter((n) => n.role !== 'proxmox');
  return {
    // A spare node registers when k3s first runs on it (join-node.yaml), as a kubelet does.
    nodes: k3s.map((n) => ({
      name: n.name,
      role: n.role === 'server' ? 'server' : 'agent',
      // The etcd role label comes from the fake k3s's etcd controllers, once etcd runs there.
      etcd: false,
      ...(n.role === 'spare' || !o.installed ? { joins: true } : {}),
      ...k3sNodeCommands(n.root),
    })),
  };
}

export function sandboxWorkloads(): Scenario {
  return {
    deployments: [{ name: 'web', namespace: 'default', replicas: 2, pdb: { name: 'web', maxUnavailable: 1 } }],
    daemonsets: [{ name: 'svclb-traefik', namespace: 'kube-system' }],
    pvcs: [{ name: 'data', namespace: 'default' }],
  };
}
