// The real side of KubeBackend: kube-apiserver v1.32.13 with played kubelets (sandbox/real-kube),
// objects read over HTTPS, herdbook's writes from the audit log.
import { startRealKube } from '../../sandbox/real-kube/index.js';
import { resourcePath, type BackendOptions, type KubeBackend, type Obj } from './kube-backend.js';
import { rawClient } from './kube-raw.js';
import { eventually, kubeClientFor } from './real-kube.js';
import { teardown } from './teardown.js';

export async function realBackend(options: BackendOptions = {}): Promise<KubeBackend> {
  const real = await startRealKube({ scenario: options.scenario, users: options.users });
  teardown(() => real.close());
  const kube = await kubeClientFor(real);
  const raw = rawClient(real.kubeconfig);
  return {
    name: 'real',
    url: real.url,
    kube,
    kubeconfig: real.kubeconfig,
    secondMs: 1000,
    viewer: () => kubeClientFor(real, 'viewer'),
    kubeFor: (user) => kubeClientFor(real, user),
    get: async (resource, ns, name) => {
      const r = await raw.get(resourcePath(resource, ns, name));
      if (r.status === 404) return undefined;
      if (r.status !== 200) throw new Error(`GET ${resource} ${name}: ${r.status} ${JSON.stringify(r.body)}`);
      return r.body as Obj;
    },
    list: async (resource, ns) => {
      const r = await raw.get(resourcePath(resource, ns));
      if (r.status !== 200) throw new Error(`LIST ${resource}: ${r.status} ${JSON.stringify(r.body)}`);
      return (r.body as { items: Obj[] }).items;
    },
    waitFor: (check, timeoutMs = 30_000, what = 'condition') => eventually(check, what, timeoutMs),
    clearRequests: () => real.clearRequests(),
    mutatingRequests: async () =>
      (await real.mutatingRequests()).map((q) => ({ method: q.method, path: q.path.split('?')[0] })),
    requests: async () => (await real.requests()).map((q) => ({ method: q.method, path: q.path.split('?')[0] })),
    setNodeReady: async (name, ready, how) => void real.setNodeReady(name, ready, how),
    setKubeletVersion: async (name, v) => void real.setKubeletVersion(name, v),
    addNode: (n) => real.addNode(n),
    addPod: (p) => real.apply({ pods: [p] }),
  };
}
