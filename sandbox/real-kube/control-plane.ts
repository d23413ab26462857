// etcd, kube-apiserver, kube-controller-manager and kube-scheduler, started in that order
// in one process group and waited for: etcd's /health, the API server's /readyz, then the
// `default` ServiceAccount (the controller manager makes it; pods cannot be created before).
// Whatever fails stops the whole group and says why with the end of the failing log.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { apiserverArgs, writeAuditPolicy } from './apiserver.js';
import { AuditLog } from './audit.js';
import type { KubeBinaries } from './binaries.js';
import { died, logEnd, startComponent, type Component } from './component.js';
import {
  controllerManagerArgs,
  FAST_NODE_MONITOR,
  schedulerArgs,
  writeComponentKubeconfig,
  type NodeMonitor,
} from './controllers.js';
import { etcdArgs, etcdHealthy } from './etcd.js';
import { createServerPki, issueComponentCerts, USERS, writePkiFiles, type PkiFiles, type RealKubePki } from './pki.js';
import { freePorts } from './ports.js';
import { ProcessGroup } from './process-group.js';
import { removeQuietly, track, untrack } from './teardown.js';
import { get, waitUntil, type Tls } from './wait.js';

export type ControlPlaneOptions = {
  stateDir: string;
  binaries: KubeBinaries;
  etcd: string;
  /** Where etcd keeps its data (default <stateDir>/etcd); removed on stop. */
  etcdDataDir?: string;
  nodeMonitor?: NodeMonitor;
  /** tolerationSeconds of the default not-ready/unreachable tolerations (default 30; 300 on a real cluster). */
  tolerationSeconds?: number;
  /** Per step (etcd, API server, default ServiceAccount); default 90 s. */
  timeoutMs?: number;
  /** Remove the whole state directory on stop, not only etcd's data. */
  removeStateDir?: boolean;
  log?: (line: string) => void;
};

export type ControlPlane = {
  url: string;
  pki: RealKubePki;
  files: PkiFiles;
  adminTls: Tls;
  audit: AuditLog;
  group: ProcessGroup;
  components: Component[];
  stop(): Promise<void>;
};

export async function startControlPlane(o: ControlPlaneOptions): Promise<ControlPlane> {
  const stateDir = o.stateDir;
  const dataDir = o.etcdDataDir ?? path.join(stateDir, 'etcd');
  await mkdir(stateDir, { recursive: true });
  const group = ProcessGroup.start();
  let stopping: Promise<void> | undefined;
  const cleanup = () => {
    removeQuietly(dataDir);
    if (o.removeStateDir) removeQuietly(stateDir);
  };
  const handle = {
    // One stop, however many callers (close() and a signal handler): all wait for the same.
    stop() {
      return (stopping ??= (async () => {
        untrack(handle);
        await group.stop();
        cleanup();
      })());
    },
    killNow() {
      group.killNow();
      cleanup();
    },
  };
  track(handle);
  try {
    const started = await launch(o, group, dataDir);
    return { ...started, group, audit: new AuditLog(started.auditLog, USERS.admin), stop: () => handle.stop() };
  } catch (e) {
    await handle.stop();
    throw e;
  }
}

async function launch(o: ControlPlaneOptions, group: ProcessGroup, dataDir: string) {
  const log = o.log ?? (() => undefined);
  const timeoutMs = o.timeoutMs ?? 90_000;
  const stateDir = o.stateDir;
  const [etcdClient, etcdPeer, apiPort] = await freePorts(3);
  const url = `https://127.0.0.1:${apiPort}`;
  const etcdUrl = `http://127.0.0.1:${etcdClient}`;
  const auditLog = path.join(stateDir, 'audit.log');
  const components: Component[] = [];

  // Waits for one step; gives up at once, with the log's end, when a process it needs exits.
  const step = async (what: string, check: () => Promise<true | undefined>) => {
    const t0 = Date.now();
    await waitUntil(check, {
      what,
      timeoutMs,
      failed: () => components.map((c) => died(group, c)).find((x) => x !== undefined),
      detail: () => logEnd(components[components.length - 1]),
    });
    log(`${what}: ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  };

  // etcd needs no certificates: it starts while the keys are made.
  const serverPki = createServerPki();
  serverPki.catch(() => undefined);
  components.push(
    await startComponent(group, 'etcd', etcdArgs(o.etcd, dataDir, { client: etcdClient, peer: etcdPeer }), stateDir),
  );
  await step('etcd', async () => (etcdHealthy((await get(`${etcdUrl}/health`)).body) ? true : undefined));

  const server = await serverPki;
  const files = await writePkiFiles(path.join(stateDir, 'pki'), server);
  const adminTls: Tls = { ca: server.ca.certPem, cert: server.admin.certPem, key: server.admin.keyPem };
  const auditPolicy = await writeAuditPolicy(stateDir);
  const apiArgs = apiserverArgs(o.binaries.apiserver, {
    etcdUrl,
    port: apiPort,
    files,
    stateDir,
    auditPolicy,
    auditLog,
    tolerationSeconds: o.tolerationSeconds ?? 30,
  });
  components.push(await startComponent(group, 'kube-apiserver', apiArgs, stateDir));
  // The other identities are made while the API server starts.
  const componentCerts = issueComponentCerts(server.ca);
  componentCerts.catch(() => undefined);
  await step('kube-apiserver', async () => ((await get(`${url}/readyz`, adminTls)).status === 200 ? true : undefined));
  const pki: RealKubePki = { ...server, ...(await componentCerts) };

  const kcmConfig = await writeComponentKubeconfig(
    stateDir,
    'kube-controller-manager',
    url,
    pki.ca.certPem,
    pki.controllerManager,
  );
  const schedConfig = await writeComponentKubeconfig(stateDir, 'kube-scheduler', url, pki.ca.certPem, pki.scheduler);
  components.push(
    await startComponent(group, 'kube-scheduler', schedulerArgs(o.binaries.scheduler, schedConfig), stateDir),
  );
  components.push(
    await startComponent(
      group,
      'kube-controller-manager',
      controllerManagerArgs(o.binaries.controllerManager, kcmConfig, files, o.nodeMonitor ?? FAST_NODE_MONITOR),
      stateDir,
    ),
  );
  await step('the default ServiceAccount', async () =>
    (await get(`${url}/api/v1/namespaces/default/serviceaccounts/default`, adminTls)).status === 200 ? true : undefined,
  );
  return { url, pki, files, adminTls, auditLog, components };
}
