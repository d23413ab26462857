// `herdbook sandbox status`: what runs, where, and each node's version as the API reports it.
import { createKubeFactory } from '../../engine/kube/clients.js';
import { nodeFacts } from '../../engine/kube/node-facts.js';
import { nodeTable } from '../../modules/kube/cluster_info.js';
import { alive } from './background.js';
import { readSandboxState } from './state.js';

export async function sandboxStatus(stateDir: string): Promise<{ up: boolean; text: string }> {
  const s = await readSandboxState(stateDir);
  if (!s) return { up: false, text: `no sandbox in ${stateDir} (herdbook sandbox up)` };
  const lines = [
    `sandbox in ${s.stateDir} (created ${s.created}${s.proxmox ? ', Proxmox LXC variant' : ''})`,
    `  inventory:   ${s.inventory}`,
    `  kubeconfig:  ${s.kubeconfig}`,
    `  API:         ${s.sim.url} (${s.sim.kind === 'real-kube' ? 'real kube-apiserver, ' : ''}${alive(s.sim.pid) ? `pid ${s.sim.pid}` : 'NOT RUNNING'})`,
    `  admin:       ${s.sim.adminUrl ?? s.sim.url}/__sim/ (token in ${s.sim.dir}/admin-token)`,
    `  channels:    ${s.release.channelUrl} (${alive(s.release.pid) ? `pid ${s.release.pid}` : 'NOT RUNNING'}; stable ${s.stable})`,
    `  nodes:       ${s.nodes.map((n) => `${n.name} (${n.role}${n.vmid ? `, pct ${n.vmid}` : ''}, sshd 127.0.0.1:${n.port})`).join(', ')}`,
  ];
  let up = alive(s.sim.pid) && alive(s.release.pid);
  if (alive(s.sim.pid)) {
    try {
      const kube = await createKubeFactory({
        connection: () => Promise.reject(new Error('unused')),
        settings: (h) => ({ kind: 'ssh', host: h }),
      })({ kubeconfig: s.kubeconfig });
      const nodes = (await kube.core.listNode({})).items.map(nodeFacts);
      lines.push('', nodeTable(nodes));
    } catch (e) {
      up = false;
      lines.push(`  the API does not answer: ${(e as Error).message}`);
    }
  }
  return { up, text: lines.join('\n') };
}
