// startRealKube: a real Kubernetes v1.32.13 control plane on loopback with played kubelets,
// for tests and the sandbox; kube-sim's scenario format and steering, real answers.
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { commandNodeSource, etcdFilesOf, hasCommands } from '../kube-sim/controllers/command-source.js';
import type { KubeletState, NodeSource } from '../kube-sim/controllers/kubelets.js';
import { DEFAULT_KUBELET_VERSION } from '../kube-sim/cluster.js';
import type { Scenario, ScenarioNode } from '../kube-sim/scenario.js';
import type { SimUser } from '../kube-sim/server/auth.js';
import { generateKey, issueClientCert } from '../kube-sim/server/pki.js';
import { kubeconfigYaml } from '../kube-sim/server/kubeconfig.js';
import type { AuditRecord } from './audit.js';
import { findEtcd, findKubeBinaries, type KubeBinaries } from './binaries.js';
import { RealKubeError } from './archive.js';
import { apiClients, type ApiClients } from './clients.js';
import { signalComponent } from './component.js';
import { startControlPlane } from './control-plane.js';
import type { NodeMonitor } from './controllers.js';
import { FakeKubelets, type NodeChange } from './kubelets.js';
import { rssBytes } from './procfs.js';
import { bindUser, bindViewer } from './rbac.js';
import { applyScenario, ensureClusterDefaults } from './scenario.js';
import { waitSettled } from './settle.js';
import { removeQuietly } from './teardown.js';
import { get } from './wait.js';

export type RealKubeOptions = {
  /** Logs, kubeconfigs and (unless etcdDataDir) etcd's data; a temporary directory, removed on close, by default. */
  stateDir?: string;
  scenario?: Scenario;
  /** Polled every second for each node not steered by hand; by default the scenario nodes' commands. */
  nodeSource?: NodeSource;
  log?: (line: string) => void;
  env?: NodeJS.ProcessEnv;
  /** Found beforehand (findKubeBinaries), e.g. once per test worker. */
  binaries?: KubeBinaries;
  nodeMonitor?: NodeMonitor;
  /** tolerationSeconds of every pod's default not-ready/unreachable tolerations (default 30). */
  tolerationSeconds?: number;
  /** Wait until the scenario's nodes are Ready and its workloads ready (default true). */
  settle?: boolean;
  /**
   * More users, as kube-sim takes them: each gets a client certificate (CN the name, O its
   * groups; `admin` is O=system:masters) and its role as RBAC. Tokens are not used.
   */
  users?: SimUser[];
};

export type RealKube = {
  url: string;
  /** The admin kubeconfig (system:admin, system:masters), as k3s writes /etc/rancher/k3s/k3s.yaml. */
  kubeconfig: string;
  kubeconfigPath: string;
  /** `admin`, `viewer` or one of the options' users. */
  kubeconfigFor(user: string): string;
  caPem: string;
  /** /version's gitVersion (v1.32.13 whatever the nodes' kubelets say). */
  version: string;
  /** Set when the binaries are not v1.32.13. */
  warning?: string;
  stateDir: string;
  /** The process group of etcd and the control plane, and its live members. */
  pgid: number;
  pids(): number[];
  rssBytes(): number;
  /** The admin's client-node clients. */
  api: ApiClients;
  /** The API server's serving certificate (127.0.0.1, localhost), for another server of the sandbox on loopback. */
  serving: { certPem: string; keyPem: string };
  /** create/update/patch/delete requests by the admin since the start or the last clearRequests. */
  mutatingRequests(): Promise<AuditRecord[]>;
  /** Every request by the admin (reads too) since the start or the last clearRequests. */
  requests(): Promise<AuditRecord[]>;
  clearRequests(): Promise<void>;
  /** What a kubelet reports, as kube-sim's setNode (no keepUnreachableTaint: the real controller removes the taint). */
  setNode(name: string, change: NodeChange): KubeletState;
  /** false: the kubelet stops (Ready Unknown, unreachable taints); how 'not-ready': it reports Ready False. */
  setNodeReady(name: string, ready: boolean, how?: 'unreachable' | 'not-ready'): KubeletState;
  setKubeletVersion(name: string, version: string): KubeletState;
  /** Hands a node steered by hand back to the node source. */
  releaseNode(name: string): void;
  kubelet(name: string): KubeletState | undefined;
  /** The nodes that have a kubelet (registered, not yet removed). */
  nodeNames(): string[];
  /**
   * Stops (SIGSTOP) or resumes kube-controller-manager, as a wedged k3s server would: while it
   * is stopped nothing adds or removes the node lifecycle taints, evicts, or replaces pods.
   */
  pauseControllerManager(paused: boolean): void;
  addNode(spec: ScenarioNode): Promise<void>;
  /** Deletes the Node (as kubectl delete node) and its kubelet; not counted as the admin's write. */
  removeNode(name: string): Promise<void>;
  /** Makes a pod pass or fail its readiness probe. */
  setPodReady(namespace: string, name: string, ready: boolean): Promise<void>;
  /** Adds the scenario's objects, written as the kubelets' user: not counted as the admin's writes (as in kube-sim). */
  apply(scenario: Scenario): Promise<void>;
  close(): Promise<void>;
};

export async function startRealKube(options: RealKubeOptions = {}): Promise<RealKube> {
  const log = options.log ?? (() => undefined);
  const etcd = findEtcd(options.env);
  if (!etcd) throw new RealKubeError('no etcd on the PATH (Debian: apt-get install etcd-server; or set HERDBOOK_ETCD)');
  const binaries = options.binaries ?? (await findKubeBinaries({ env: options.env }));
  if (binaries.warning) log(`warning: ${binaries.warning}`);
  const temporary = !options.stateDir;
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'herdbook-real-kube-')));
  const cp = await startControlPlane({
    stateDir,
    binaries,
    etcd,
    log,
    nodeMonitor: options.nodeMonitor,
    tolerationSeconds: options.tolerationSeconds,
    removeStateDir: temporary,
  });

  const { url, pki } = cp;
  const kubeconfig = kubeconfigYaml(url, pki.ca.certPem, pki.admin);
  const viewerConfig = kubeconfigYaml(url, pki.ca.certPem, pki.viewer, 'viewer');
  const kubeconfigPath = path.join(stateDir, 'kubeconfig.yaml');
  await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
  await writeFile(path.join(stateDir, 'kubeconfig-viewer.yaml'), viewerConfig, { mode: 0o600 });
  await writeFile(path.join(stateDir, 'ca.crt'), pki.ca.certPem);

  const scenario = options.scenario ?? {};
  const commandNodes = Object.fromEntries((scenario.nodes ?? []).filter(hasCommands).map((n) => [n.name, n]));
  const source = options.nodeSource ?? (Object.keys(commandNodes).length ? commandNodeSource(commandNodes) : undefined);
  // As kube-sim: with commands, the nodes without any are steered by hand.
  const manual = (name: string) => !source || (!options.nodeSource && !commandNodes[name]);
  const api = apiClients(kubeconfig);
  // The sandbox's own writes (the scenario, later fragments) are not herdbook's: made as the
  // kubelets' user, which is in system:masters too, they stay out of the admin's audit trail.
  const sandboxApi = apiClients(kubeconfigYaml(url, pki.ca.certPem, pki.kubelet, 'fake-kubelet'));
  const kubelets = new FakeKubelets({
    api: sandboxApi,
    source,
    defaultVersion: scenario.kubeletVersion ?? DEFAULT_KUBELET_VERSION,
    log,
    etcdFiles: etcdFilesOf(commandNodes),
  });
  const close = async () => {
    await kubelets.close();
    await cp.stop();
    if (temporary) removeQuietly(stateDir);
  };
  try {
    const version = (JSON.parse((await get(`${url}/version`, cp.adminTls)).body) as { gitVersion: string }).gitVersion;
    await bindViewer(api);
    const userConfigs = new Map<string, string>();
    for (const u of options.users ?? []) {
      const groups = [
        ...(u.groups ?? []).filter((g) => g !== 'system:authenticated'),
        ...(u.role === 'admin' ? ['system:masters'] : []),
      ];
      userConfigs.set(
        u.name,
        kubeconfigYaml(url, pki.ca.certPem, issueClientCert(pki.ca, u.name, groups, await generateKey()), u.name),
      );
      await bindUser(api, u);
    }
    await ensureClusterDefaults(api);
    await applyScenario(sandboxApi, kubelets, scenario, manual);
    await kubelets.start();
    if (options.settle ?? true) await waitSettled(api, kubelets);
    // The setup is not herdbook's doing.
    await cp.audit.clear();
    return {
      url,
      kubeconfig,
      kubeconfigPath,
      kubeconfigFor: (user) => {
        const config = user === 'admin' ? kubeconfig : user === 'viewer' ? viewerConfig : userConfigs.get(user);
        if (!config) throw new Error(`real-kube: no user ${user}`);
        return config;
      },
      caPem: pki.ca.certPem,
      version,
      warning: binaries.warning,
      stateDir,
      pgid: cp.group.pgid,
      pids: () => cp.group.members(),
      rssBytes: () => rssBytes(cp.group.members()),
      api,
      serving: pki.server,
      mutatingRequests: () => cp.audit.mutating(),
      requests: () => cp.audit.all(),
      clearRequests: () => cp.audit.clear(),
      setNode: (name, change) => kubelets.setNode(name, change),
      setNodeReady: (name, ready, how = 'unreachable') =>
        kubelets.setNode(
          name,
          ready
            ? { ready: true, reachable: true }
            : how === 'unreachable'
              ? { reachable: false }
              : { reachable: true, ready: false },
        ),
      setKubeletVersion: (name, v) => kubelets.setNode(name, { kubeletVersion: v }),
      releaseNode: (name) => kubelets.releaseNode(name),
      kubelet: (name) => kubelets.kubelet(name),
      nodeNames: () => kubelets.names(),
      pauseControllerManager: (paused) =>
        signalComponent(cp, 'kube-controller-manager', paused ? 'SIGSTOP' : 'SIGCONT'),
      addNode: async (spec) => void (await kubelets.addNode(spec, manual(spec.name))),
      removeNode: (name) => kubelets.removeNode(name),
      setPodReady: (ns, name, ready) => kubelets.setPodReady(ns, name, ready),
      apply: (s) => applyScenario(sandboxApi, kubelets, s, manual),
      close,
    };
  } catch (e) {
    await close();
    throw e;
  }
}

export {
  findKubeBinaries,
  kubeBinariesUnavailable,
  findEtcd,
  EXPECTED_KUBE_VERSION,
  type KubeBinaries,
} from './binaries.js';
export { RealKubeError } from './archive.js';
export type { AuditRecord } from './audit.js';
export { USERS } from './pki.js';
