// The sandbox's inventory, in the Ansible INI style users already have: plain SSH nodes, or
// (with --proxmox) containers behind a Proxmox node with pct_id and node_name like seed 001's.
// Spare nodes (no k3s yet) are in group k3s_new, for join-node.yaml.
import type { SandboxNode } from './state.js';

export type InventoryInput = {
  nodes: SandboxNode[];
  keyFile: string;
  knownHosts: string;
  channelUrl: string;
  installScriptUrl: string;
  /** The API's port (the simulator's; 6443 on a real cluster). */
  apiPort: number;
  proxmox: boolean;
};

export function renderInventory(i: InventoryInput): string {
  const line = (n: SandboxNode) =>
    i.proxmox && n.role !== 'proxmox'
      ? // ansible_host: where the controller reaches the container's API (kubeconfig_from); pct needs none.
        `${n.name} pct_id=${n.vmid} node_name=${n.name} ansible_host=127.0.0.1`
      : `${n.name} ansible_host=127.0.0.1 ansible_port=${n.port} node_name=${n.name}`;
  const group = (role: string) =>
    i.nodes
      .filter((n) => n.role === role)
      .map(line)
      .join('\n');
  const out = [
    '# The herdbook sandbox: real OpenSSH nodes on loopback, a fake k3s, a Kubernetes API simulator.',
    '# Written by `herdbook sandbox up`; removed by `herdbook sandbox down`.',
  ];
  if (i.proxmox) out.push('', '[proxmox]', group('proxmox'));
  out.push(
    '',
    '[k3s_servers]',
    group('server'),
    '',
    '[k3s_agents]',
    group('agent'),
    '',
    '[k3s_cluster:children]',
    'k3s_servers',
    'k3s_agents',
  );
  if (i.nodes.some((n) => n.role === 'spare'))
    out.push('', '# Nodes without k3s, for join-node.yaml.', '[k3s_new]', group('spare'));
  out.push(
    '',
    '[all:vars]',
    'ansible_user=root',
    `ansible_ssh_private_key_file=${i.keyFile}`,
    `known_hosts_file=${i.knownHosts}`,
    `k3s_channel_url=${i.channelUrl}`,
    `k3s_install_script_url=${i.installScriptUrl}`,
    `k3s_api_port=${i.apiPort}`,
  );
  if (i.proxmox) {
    const pve = i.nodes.find((n) => n.role === 'proxmox')!.name;
    const groups = i.nodes.some((n) => n.role === 'spare') ? ['k3s_cluster', 'k3s_new'] : ['k3s_cluster'];
    for (const g of groups) out.push('', `[${g}:vars]`, 'ansible_connection=pct', `pct_host=${pve}`);
  }
  out.push('');
  return out.join('\n');
}
