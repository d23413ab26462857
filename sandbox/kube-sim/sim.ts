// startKubeSim: the simulator as one object for tests and the sandbox. An HTTPS API
// server on 127.0.0.1 with its own CA, the controllers, a request log, and setters.
import { createServer, type Server } from 'node:https';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import type { ApiContext } from './api/context.js';
import { DEFAULT_TIMINGS, type SimTimings } from './clock.js';
import { Cluster, type NodeChange } from './cluster.js';
import { commandNodeSource, etcdFilesOf, hasCommands } from './controllers/command-source.js';
import { applyEdit, EtcdControllers } from '../k3s-fake/etcd-controllers.js';
import { newRuntime } from './controllers/env.js';
import { Kubelets, type KubeletState, type NodeSource } from './controllers/kubelets.js';
import { ControllerManager } from './controllers/manager.js';
import type { PodAdmission } from './objects/pod-admission.js';
import type { Scenario } from './scenario.js';
import { createAdmin } from './server/admin.js';
import type { SimUser } from './server/auth.js';
import { createHandler } from './server/handler.js';
import { kubeconfigYaml } from './server/kubeconfig.js';
import { createPki, issueClientCert, type Pki } from './server/pki.js';
import { RequestLog, type RequestRecord } from './server/request-log.js';
import { ObjectStore } from './store.js';
import type { KubeObject, Node } from './types.js';

export type KubeSimOptions = {
  scenario?: Scenario;
  /** Polled every timings.nodePollMs for each node; without it, nodes change only through setters. */
  nodeSource?: NodeSource;
  timings?: Partial<SimTimings>;
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Extra users. "admin" (token, all rights) and "viewer" (token, read-only) always exist. */
  users?: SimUser[];
  /** gitVersion of /version; by default the first server node's kubelet version. */
  version?: string;
  /** Reuse certificates across simulators (generating them takes a few hundred ms). */
  pki?: Pki;
  /** Answer requests without credentials as system:anonymous (403) rather than 401; k3s runs with --anonymous-auth=false. */
  anonymousAuth?: boolean;
  /** Admission settings, for a simulator that should answer like a particular server (see PodAdmission). */
  admission?: PodAdmission;
};

/** What a waitFor check yields once it passes. */
export type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export type KubeSim = {
  url: string;
  port: number;
  /** The admin kubeconfig with a client certificate, as k3s writes /etc/rancher/k3s/k3s.yaml. */
  kubeconfig: string;
  /** A kubeconfig for a configured user, with its token (default) or a client certificate. */
  kubeconfigFor(user: string, auth?: 'token' | 'cert'): string;
  writeKubeconfig(path: string, user?: string): Promise<void>;
  caPem: string;
  tokens: Record<string, string>;
  store: ObjectStore;
  cluster: Cluster;
  get(table: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(table: string, namespace?: string): KubeObject[];
  addNode: Cluster['addNode'];
  removeNode: Cluster['removeNode'];
  addPod: Cluster['addPod'];
  addDeployment: Cluster['addDeployment'];
  addDaemonSet: Cluster['addDaemonSet'];
  addPdb: Cluster['addPdb'];
  addPvc: Cluster['addPvc'];
  addLease: Cluster['addLease'];
  apply: Cluster['apply'];
  setNode(name: string, change: NodeChange): KubeletState;
  setNodeReady(name: string, ready: boolean, how?: 'not-ready' | 'unreachable'): KubeletState;
  setKubeletVersion(name: string, version: string): KubeletState;
  keepUnreachableTaint(name: string, keep?: boolean): KubeletState;
  releaseNode(name: string): void;
  setPodReady(namespace: string, name: string, ready: boolean): void;
  kubelet(name: string): KubeletState | undefined;
  requests(): RequestRecord[];
  mutatingRequests(): RequestRecord[];
  clearRequests(): void;
  /** Runs the controllers now (they also run after every write and on a timer). */
  reconcile(): void;
  /** Polls until `check` returns a truthy value, reconciling as it goes; rejects after timeoutMs. */
  waitFor<T>(check: () => T | Promise<T>, timeoutMs?: number, what?: string): Promise<Truthy<T>>;
  close(): Promise<void>;
};

export async function startKubeSim(options: KubeSimOptions = {}): Promise<KubeSim> {
  const timings: SimTimings = { ...DEFAULT_TIMINGS, ...options.scenario?.timings, ...options.timings };
  const pki = options.pki ?? createPki();
  const tokens: Record<string, string> = {
    admin: randomBytes(24).toString('hex'),
    viewer: randomBytes(24).toString('hex'),
  };
  const users: SimUser[] = [
    { name: 'admin', token: tokens.admin, role: 'admin', groups: ['system:masters', 'system:authenticated'] },
    { name: 'viewer', token: tokens.viewer, role: 'view' },
    ...(options.users ?? []),
  ];
  for (const u of options.users ?? []) if (u.token) tokens[u.name] = u.token;

  const store = new ObjectStore();
  const kubelets = new Kubelets();
  const scenarioNodes = options.scenario?.nodes ?? [];
  const commandNodes = Object.fromEntries(scenarioNodes.filter(hasCommands).map((n) => [n.name, n]));
  const source = options.nodeSource ?? (Object.keys(commandNodes).length ? commandNodeSource(commandNodes) : undefined);
  const polled = options.nodeSource ? 'callback' : source ? 'commands' : 'none';

  let manager: ControllerManager | undefined;
  const api: ApiContext = { store, kick: () => manager?.kick(), admission: options.admission };
  manager = new ControllerManager({ store, api, kubelets, timings, runtime: newRuntime(), now: Date.now }, source);
  const cluster = new Cluster(store, api, kubelets, polled);
  // The fake k3s servers' etcd controllers write their Nodes as k3s does, from inside (not a
  // client of the API: the request log stays herdbook's).
  const etcdFiles = etcdFilesOf(commandNodes);
  const etcd = Object.keys(etcdFiles).length
    ? new EtcdControllers(etcdFiles, {
        list: () => store.list('nodes'),
        apply: (name, edit) => {
          const node = store.get('nodes', undefined, name);
          if (node) store.save('nodes', applyEdit(node as Node, edit));
        },
      })
    : undefined;
  // At most every 200 ms: the fast node poll (50 ms) would read every node's files 20 times a second.
  let etcdSynced = 0;
  manager.afterPoll = async (src) => {
    await cluster.registerJoined(src);
    if (!etcd || Date.now() - etcdSynced < 200) return;
    etcdSynced = Date.now();
    if (await etcd.sync()) manager?.kick();
  };
  // Even without a scenario the cluster has its default namespaces.
  cluster.apply(options.scenario ?? {});
  if (source) await manager.pollNodes();
  manager.settle();

  const log = new RequestLog();
  const host = options.host ?? '127.0.0.1';
  let address = `${host}:0`;
  const handler = createHandler({
    ctx: api,
    users,
    log,
    version: () => options.version ?? cluster.serverVersion(),
    address: () => address,
    admin: createAdmin({ cluster, kubelets, log }),
    anonymousAuth: options.anonymousAuth,
  });
  const server: Server = createServer(
    {
      key: pki.server.keyPem,
      cert: pki.server.certPem,
      ca: pki.ca.certPem,
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => void handler(req, res),
  );
  // kube-apiserver keeps an idle connection 90 s (IdleTimeout of its secure serving). Node's
  // default of 5 s can close a kept-alive connection just as a loaded client reuses it (its agent
  // keeps it up to the server's hint minus 1 s), a failure the real server does not cause.
  server.keepAliveTimeout = 90_000;
  server.headersTimeout = 91_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  address = `${host}:${port}`;
  const url = `https://${host}:${port}`;
  manager.start();

  const certs = new Map<string, { certPem: string; keyPem: string }>();
  const kubeconfigFor = (user: string, auth: 'token' | 'cert' = 'token') => {
    if (auth === 'cert') {
      const u = users.find((x) => x.name === user);
      if (!certs.has(user))
        certs.set(user, issueClientCert(pki.ca, user, u?.groups?.filter((g) => g !== 'system:authenticated') ?? []));
      return kubeconfigYaml(url, pki.ca.certPem, certs.get(user)!, user);
    }
    const token = tokens[user];
    if (!token) throw new Error(`kube-sim: no token for user ${user}`);
    return kubeconfigYaml(url, pki.ca.certPem, { token }, user);
  };
  const kubeconfig = kubeconfigYaml(url, pki.ca.certPem, pki.admin);
  const sockets = new Set<Socket>();
  server.on('secureConnection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const sim: KubeSim = {
    url,
    port,
    kubeconfig,
    kubeconfigFor,
    async writeKubeconfig(path, user) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, user ? kubeconfigFor(user) : kubeconfig, { mode: 0o600 });
    },
    caPem: pki.ca.certPem,
    tokens,
    store,
    cluster,
    get: (t, ns, n) => store.get(t, ns, n),
    list: (t, ns) => store.list(t, ns),
    addNode: (n) => cluster.addNode(n),
    removeNode: (n) => cluster.removeNode(n),
    addPod: (p) => cluster.addPod(p),
    addDeployment: (d) => cluster.addDeployment(d),
    addDaemonSet: (d) => cluster.addDaemonSet(d),
    addPdb: (p) => cluster.addPdb(p),
    addPvc: (c) => cluster.addPvc(c),
    addLease: (l) => cluster.addLease(l),
    apply: (s) => cluster.apply(s),
    setNode: (name, change) => cluster.setNode(name, change),
    setNodeReady: (name, ready, how = 'unreachable') =>
      cluster.setNode(
        name,
        ready
          ? { ready: true, reachable: true }
          : how === 'unreachable'
            ? { reachable: false }
            : { reachable: true, ready: false },
      ),
    setKubeletVersion: (name, version) => cluster.setNode(name, { kubeletVersion: version }),
    keepUnreachableTaint: (name, keep = true) => cluster.setNode(name, { keepUnreachableTaint: keep }),
    releaseNode: (name) => cluster.releaseNode(name),
    setPodReady: (ns, name, ready) => cluster.setPodReady(ns, name, ready),
    kubelet: (name) => kubelets.get(name),
    requests: () => log.all(),
    mutatingRequests: () => log.mutating(),
    clearRequests: () => log.clear(),
    reconcile: () => manager.reconcile(),
    async waitFor(check, timeoutMs = 10_000, what = 'condition') {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        manager.reconcile();
        const v = await check();
        if (v) return v as Truthy<typeof v>;
        if (Date.now() > deadline) throw new Error(`kube-sim: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, Math.max(5, Math.min(timings.tickMs, 50))));
      }
    },
    async close() {
      manager.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  };
  return sim;
}
