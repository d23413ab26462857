// One face for the two API servers the kube tests run against: kube-sim (fast, steerable) and
// a real kube-apiserver v1.32.13 with fake kubelets (the truth). A test written against this
// runs on both; a difference between them is a kube-sim bug.
import type { KubeClient } from '../../engine/kube/types.js';
import type { Scenario, ScenarioNode, ScenarioPod, SimUser } from '../../sandbox/kube-sim/index.js';

/** A Kubernetes object as the API server returns it (plain JSON, times as strings); tests read any field. */
export type Obj = any;

/** A request as the tests compare them: its method and path. */
export type Mutation = { method: string; path: string };

export type KubeBackend = {
  readonly name: 'kube-sim' | 'real';
  /** The API server's address (https://127.0.0.1:port). */
  readonly url: string;
  /** herdbook's client (admin), built from a kubeconfig file like a user's. */
  readonly kube: KubeClient;
  /** The admin kubeconfig (YAML), for raw requests; what k3s writes as /etc/rancher/k3s/k3s.yaml. */
  readonly kubeconfig: string;
  /** A client for the read-only user `viewer`. */
  viewer(): Promise<KubeClient>;
  /** A client for one of the options' users (a token on kube-sim, a client certificate on the real server). */
  kubeFor(user: string): Promise<KubeClient>;
  /** GET of one object by resource (`nodes`, `pods`, `leases.coordination.k8s.io`, ...); undefined on 404. */
  get(resource: string, namespace: string | undefined, name: string): Promise<Obj>;
  list(resource: string, namespace?: string): Promise<Obj[]>;
  /** Polls until check yields a truthy value; rejects with `what` after timeoutMs. */
  waitFor<T>(check: () => T | Promise<T>, timeoutMs?: number, what?: string): Promise<T>;
  /** Writes (create/update/patch/delete, not dry runs) made with herdbook's admin credentials. */
  clearRequests(): Promise<void>;
  mutatingRequests(): Promise<Mutation[]>;
  /** Every request (reads too) since clearRequests, paths without their query: on the real server the admin's (the audit log), on kube-sim all (its kubelets make none). */
  requests(): Promise<Mutation[]>;
  /** Kubelet steering: a node that stops reporting (unreachable) or reports NotReady, and back. */
  setNodeReady(name: string, ready: boolean, how?: 'not-ready' | 'unreachable'): Promise<void>;
  setKubeletVersion(name: string, version: string): Promise<void>;
  addNode(node: ScenarioNode): Promise<void>;
  addPod(pod: ScenarioPod): Promise<void>;
  /** The API server's own idea of a second: kube-sim runs fast, the real one does not. */
  readonly secondMs: number;
};

export type BackendOptions = {
  scenario?: Scenario;
  /** Users besides the admin and `viewer`, with kube-sim's roles (`{ rules: [] }`: may do nothing). */
  users?: SimUser[];
};

/** GET/LIST paths for the resources the tests read. */
export function resourcePath(resource: string, namespace?: string, name?: string): string {
  const [plural, ...groupParts] = resource.split('.');
  const group = groupParts.join('.');
  // Every group the tests read is served at v1.
  const base = group ? `/apis/${group}/v1` : '/api/v1';
  return `${base}${namespace ? `/namespaces/${namespace}` : ''}/${plural}${name ? `/${name}` : ''}`;
}

/** Pods that are on a node and not terminating, as namespace/name. */
export async function podsOn(b: KubeBackend, node: string): Promise<string[]> {
  return (await b.list('pods'))
    .filter((p: Obj) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp)
    .map((p: Obj) => `${p.metadata.namespace}/${p.metadata.name}`);
}
