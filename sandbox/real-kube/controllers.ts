// kube-controller-manager and kube-scheduler: each with its own client certificate, no
// leader election, no HTTPS port of their own (several control planes share a machine),
// and node monitoring in seconds instead of the 40 s a real cluster waits.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { kubeconfigYaml } from '../kube-sim/server/kubeconfig.js';
import type { KeyPair } from '../kube-sim/server/pki.js';
import type { PkiFiles } from './pki.js';

export type NodeMonitor = { periodSeconds: number; graceSeconds: number };

export const FAST_NODE_MONITOR: NodeMonitor = { periodSeconds: 1, graceSeconds: 5 };

// Those that need a cloud provider; without one they would only log that they are skipped.
const WITHOUT = ['cloud-node-lifecycle-controller', 'node-route-controller', 'service-lb-controller'];

export async function writeComponentKubeconfig(
  stateDir: string,
  name: string,
  url: string,
  caPem: string,
  cert: KeyPair,
): Promise<string> {
  const file = path.join(stateDir, `${name}.kubeconfig`);
  await writeFile(file, kubeconfigYaml(url, caPem, cert, name), { mode: 0o600 });
  return file;
}

export function controllerManagerArgs(
  bin: string,
  kubeconfig: string,
  files: PkiFiles,
  monitor: NodeMonitor,
): string[] {
  return [
    bin,
    `--kubeconfig=${kubeconfig}`,
    '--use-service-account-credentials',
    `--service-account-private-key-file=${files.saPrivate}`,
    `--root-ca-file=${files.caCert}`,
    '--leader-elect=false',
    '--secure-port=0',
    `--controllers=*,${WITHOUT.map((c) => `-${c}`).join(',')}`,
    `--node-monitor-period=${monitor.periodSeconds}s`,
    `--node-monitor-grace-period=${monitor.graceSeconds}s`,
    `--node-startup-grace-period=${Math.max(monitor.graceSeconds, 10)}s`,
    // Each controller runs as its own ServiceAccount, whose token it asks for at start: at the
    // default 20 requests/s that alone takes 4 s.
    '--kube-api-qps=100',
    '--kube-api-burst=200',
  ];
}

export function schedulerArgs(bin: string, kubeconfig: string): string[] {
  return [bin, `--kubeconfig=${kubeconfig}`, '--leader-elect=false', '--secure-port=0'];
}
