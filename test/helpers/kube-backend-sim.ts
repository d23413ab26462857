// The kube-sim side of KubeBackend: the simulator steered directly, objects read over HTTPS
// like the real server's.
import { FAST_TIMINGS, type KubeSim } from '../../sandbox/kube-sim/index.js';
import { kubeFor, startSim } from './kube.js';
import { resourcePath, type BackendOptions, type KubeBackend, type Obj } from './kube-backend.js';
import { rawClient } from './kube-raw.js';

export type SimBackend = KubeBackend & { readonly sim: KubeSim };

export async function simBackend(options: BackendOptions = {}): Promise<SimBackend> {
  const sim = await startSim({ scenario: options.scenario, users: options.users });
  const kube = await kubeFor(sim);
  const raw = rawClient(sim.kubeconfig);
  const get = async (resource: string, ns: string | undefined, name: string): Promise<Obj> => {
    const r = await raw.get(resourcePath(resource, ns, name));
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET ${resource} ${name}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  return {
    name: 'kube-sim',
    sim,
    url: sim.url,
    kube,
    kubeconfig: sim.kubeconfig,
    secondMs: FAST_TIMINGS.secondMs,
    viewer: () => kubeFor(sim, 'viewer'),
    kubeFor: (user) => kubeFor(sim, user),
    get,
    list: async (resource, ns) => {
      const r = await raw.get(resourcePath(resource, ns));
      if (r.status !== 200) throw new Error(`LIST ${resource}: ${r.status} ${JSON.stringify(r.body)}`);
      return (r.body as { items: Obj[] }).items;
    },
    waitFor: (check, timeoutMs, what) => sim.waitFor(check, timeoutMs, what),
    clearRequests: async () => sim.clearRequests(),
    mutatingRequests: async () => sim.mutatingRequests().map((q) => ({ method: q.method, path: q.path })),
    requests: async () => sim.requests().map((q) => ({ method: q.method, path: q.path })),
    setNodeReady: async (name, ready, how) => void sim.setNodeReady(name, ready, how),
    setKubeletVersion: async (name, v) => void sim.setKubeletVersion(name, v),
    addNode: async (n) => void sim.addNode(n),
    addPod: async (p) => void sim.addPod(p),
  };
}
