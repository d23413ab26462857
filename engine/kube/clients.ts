// One Kubernetes client per cluster per run, shared by tasks. The kubeconfig comes from, in
// order: `kubeconfig` (a path, + `kube_context`); `kubeconfig_from: <server host>`, which reads
// /etc/rancher/k3s/k3s.yaml over that host's connection and points `server:` at that host's
// address (or at a local tunnel through it); KUBECONFIG; ~/.kube/config. An explicit path wins,
// so `-e kubeconfig=...` overrides the shipped playbooks' kubeconfig_from.
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Connection, ConnectionSettings } from '../connection/types.js';
import { ModuleError } from '../errors.js';
import type { KubeSpec } from '../run/context.js';
import type { KubeClient } from './types.js';
import { kubeErrorMessage, NoKubeApiError } from './errors.js';
import { reuseConnections } from './keep-alive.js';

export const K3S_KUBECONFIG = '/etc/rancher/k3s/k3s.yaml';

export type KubeFactoryDeps = {
  connection(host: string): Promise<Connection>;
  settings(host: string): ConnectionSettings;
  /** A local port forwarded to host:port through the given inventory host's SSH connection. */
  tunnel?(through: string, host: string, port: number): Promise<number>;
  env?: NodeJS.ProcessEnv;
};

/** k3s writes https://127.0.0.1:6443; the controller must reach the server host instead. */
export function rewriteServer(kubeconfigYaml: string, server: string): string {
  return kubeconfigYaml.replace(/(^\s*server:\s*)(\S+)/m, `$1${server}`);
}

export function createKubeFactory(deps: KubeFactoryDeps): (spec: KubeSpec) => Promise<KubeClient> {
  const cache = new Map<string, Promise<KubeClient>>();
  return (spec) => {
    const key = JSON.stringify([spec.kubeconfig, spec.context, spec.from, spec.tunnel]);
    let c = cache.get(key);
    if (!c) {
      c = build(spec, deps);
      cache.set(key, c);
      c.catch(() => cache.delete(key));
    }
    return c;
  };
}

async function build(spec: KubeSpec, deps: KubeFactoryDeps): Promise<KubeClient> {
  const k8s = await import('@kubernetes/client-node');
  const kc = new k8s.KubeConfig();
  const env = deps.env ?? process.env;
  if (spec.kubeconfig) {
    const file = spec.kubeconfig.replace(/^~(?=\/)/, os.homedir());
    if (!existsSync(file)) throw new ModuleError(`kubeconfig ${file} does not exist`);
    kc.loadFromFile(file);
  } else if (spec.from) {
    const conn = await deps.connection(spec.from);
    let text: string;
    try {
      text = (await conn.get(K3S_KUBECONFIG, { become: true })).toString('utf8');
    } catch (e) {
      throw new ModuleError(
        `kubeconfig_from ${spec.from}: cannot read ${K3S_KUBECONFIG} (${(e as Error).message}); is k3s installed there as a server?`,
      );
    }
    const original = /^\s*server:\s*(\S+)/m.exec(text)?.[1] ?? 'https://127.0.0.1:6443';
    const url = new URL(original);
    const port = Number(url.port || 6443);
    const address = deps.settings(spec.from).address ?? spec.from;
    const server =
      spec.tunnel && deps.tunnel
        ? `https://127.0.0.1:${await deps.tunnel(spec.from, '127.0.0.1', port)}`
        : `https://${address.includes(':') ? `[${address}]` : address}:${port}`;
    // k3s's serving certificate lists the node's addresses and 127.0.0.1, so both URLs verify.
    kc.loadFromString(rewriteServer(text, server));
  } else if (env.KUBECONFIG) {
    kc.loadFromDefault();
  } else {
    const file = path.join(os.homedir(), '.kube', 'config');
    if (!existsSync(file))
      throw new NoKubeApiError(
        'no Kubernetes API configured: set kubeconfig: (a path), kubeconfig_from: <a k3s server host>, or KUBECONFIG',
      );
    kc.loadFromFile(file);
  }
  if (spec.context) {
    if (!kc.getContexts().some((c) => c.name === spec.context))
      throw new ModuleError(
        `kube_context '${spec.context}' is not in the kubeconfig (it has: ${kc
          .getContexts()
          .map((c) => c.name)
          .join(', ')})`,
      );
    kc.setCurrentContext(spec.context);
  }
  reuseConnections(kc);
  const server = kc.getCurrentCluster()?.server ?? '(no server)';
  return {
    server,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    policy: kc.makeApiClient(k8s.PolicyV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    storage: kc.makeApiClient(k8s.StorageV1Api),
    version: kc.makeApiClient(k8s.VersionApi),
    microTime: (at) => new k8s.V1MicroTime(at.getTime()),
    patchOptions: (kind) =>
      k8s.setHeaderOptions(
        'Content-Type',
        kind === 'merge'
          ? k8s.PatchStrategy.MergePatch
          : kind === 'strategic'
            ? k8s.PatchStrategy.StrategicMergePatch
            : k8s.PatchStrategy.JsonPatch,
      ),
  };
}

export { kubeErrorMessage };
