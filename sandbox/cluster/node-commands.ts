// How the API simulator learns a fleet node's kubelet state, as an operator would see it: the
// version of the k3s binary installed on that node, whether its k3s unit is active, and
// (a server) its etcd membership.
// Argv only (no shell text), runnable from the controller outside the node's namespace.
import path from 'node:path';
import { k3sEtcdFiles } from '../k3s-fake/etcd-members.js';
import type { NodeCommands } from '../kube-sim/index.js';

export function k3sNodeCommands(nodeRoot: string): NodeCommands {
  const state = path.join(nodeRoot, 'run/fake-systemd');
  return {
    versionCommand: [path.join(nodeRoot, 'usr/local/bin/k3s'), '--version'],
    // The units' state files, read by the simulator itself: it polls every node every 50 ms in
    // fast mode, and a command (it was `sh -c 'grep || grep'`) was processes every time.
    readyFiles: [path.join(state, 'k3s.service.state'), path.join(state, 'k3s-agent.service.state')],
    // Its etcd membership, published on its Node as k3s does.
    etcdFiles: k3sEtcdFiles(nodeRoot),
  };
}
