// `herdbook sandbox up`: a local k3s cluster to rehearse on. Fleet nodes (real sshd) with the
// fake k3s installed at an old version, the channel/release server, and the API simulator
// whose nodes report what is installed on the fleet; an inventory and a kubeconfig for it.
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { stringify } from 'yaml';
import { PACKAGE_ROOT } from '../../engine/paths.js';
import { fleetPaths, startFleet, stopFleet } from '../fleet/index.js';
import { envForKubeDir, kubeBinariesUnavailable } from '../real-kube/binaries.js';
import {
  ensureTools,
  releaseServerFiles,
  seedKubeconfig,
  setFakeNodeName,
  shareEtcdCluster,
} from '../k3s-fake/index.js';
import { alive, startDetached, stopPid } from './background.js';
import { installAndDeploy, registerContainers } from './install.js';
import { renderInventory } from './inventory.js';
import { sandboxScenario } from './scenario.js';
import { readSandboxState, writeSandboxState, type SandboxNode, type SandboxState } from './state.js';

export const SANDBOX_VERSIONS = ['v1.29.15+k3s1', 'v1.30.14+k3s1', 'v1.31.4+k3s1', 'v1.32.5+k3s1'];

export type UpOptions = {
  stateDir: string;
  servers?: number;
  agents?: number;
  /** Nodes without k3s (group k3s_new), for join-node.yaml. */
  spare?: number;
  /**
   * false: the servers and agents have no k3s yet either, as fresh machines before a playbook
   * installs it; each registers with the API when k3s first runs on it, and no workloads are deployed.
   */
  k3s?: boolean;
  proxmox?: boolean;
  /** The version k3s starts at (default v1.31.4+k3s1). */
  version?: string;
  /** The stable channel (default the newest release served). */
  stable?: string;
  versions?: string[];
  /** Fast simulator timings (tests). */
  fast?: boolean;
  /**
   * A real control plane (sandbox/real-kube) instead of kube-sim: true for the default
   * binaries (HERDBOOK_KUBE_BIN_DIR, ../shared/kube), or a directory with the binaries or the archive.
   */
  kubeApiserver?: boolean | string;
  log?: (line: string) => void;
};

const dist = (p: string) => path.join(PACKAGE_ROOT, 'dist', p);

export async function sandboxUp(o: UpOptions): Promise<SandboxState> {
  const log = o.log ?? (() => undefined);
  const existing = await readSandboxState(o.stateDir);
  if (existing && alive(existing.sim.pid)) {
    log(`the sandbox is already up in ${o.stateDir} (herdbook sandbox down to remove it)`);
    return existing;
  }
  if (existing) await sandboxDownQuiet(o.stateDir);
  const real = Boolean(o.kubeApiserver);
  const api = real ? 'real-kube' : 'kube-sim';
  for (const f of [`sandbox/${api}/main.js`, 'sandbox/k3s-fake/main.js']) {
    if (!existsSync(dist(f))) throw new Error(`${dist(f)} is missing: run npm run build first`);
  }
  // Before anything starts: a failure further down leaves the fleet running.
  if (real) {
    const why = await kubeBinariesUnavailable({
      env: typeof o.kubeApiserver === 'string' ? envForKubeDir(o.kubeApiserver) : process.env,
    });
    if (why) throw new Error(`--kube-apiserver: ${why}`);
  }
  const versions = o.versions ?? SANDBOX_VERSIONS;
  const version = o.version ?? 'v1.31.4+k3s1';
  const stable = o.stable ?? versions[versions.length - 1];
  await ensureTools();
  await mkdir(o.stateDir, { recursive: true });
  const started: Started = {};
  try {
    return await startAll(o, { versions, version, stable, real, api }, started, log);
  } catch (e) {
    // Nothing half-started stays behind (sshd nodes, the release server, a control plane); the
    // state directory stays, with the logs that say why.
    await stopStarted(started);
    throw e;
  }
}

/** What sandboxUp has started so far, to stop when a later step fails. */
type Started = { fleetDir?: string; relPid?: number; simPid?: number; real?: boolean };

async function stopStarted(s: Started): Promise<void> {
  await stopPid(s.simPid, s.real ? 8000 : 3000);
  await stopPid(s.relPid);
  if (s.fleetDir && existsSync(s.fleetDir)) await stopFleet(s.fleetDir);
}

type Resolved = { versions: string[]; version: string; stable: string; real: boolean; api: 'real-kube' | 'kube-sim' };

async function startAll(
  o: UpOptions,
  r: Resolved,
  started: Started,
  log: (line: string) => void,
): Promise<SandboxState> {
  const { versions, version, stable, real, api } = r;

  const specs: SandboxNode[] = [];
  for (let i = 1; i <= (o.servers ?? 1); i++) specs.push({ name: `s-${i}`, role: 'server', port: 0, root: '' });
  for (let i = 1; i <= (o.agents ?? 2); i++) specs.push({ name: `a-${i}`, role: 'agent', port: 0, root: '' });
  for (let i = 1; i <= (o.spare ?? 0); i++) specs.push({ name: `j-${i}`, role: 'spare', port: 0, root: '' });
  if (o.proxmox) specs.forEach((n, i) => (n.vmid = 201 + i));
  if (o.proxmox) specs.unshift({ name: 'pve', role: 'proxmox', port: 0, root: '' });

  log(`starting ${specs.length} sshd nodes...`);
  started.fleetDir = path.join(o.stateDir, 'fleet');
  const fleet = await startFleet({ stateDir: started.fleetDir, nodes: specs.map((n) => ({ name: n.name })) });
  const nodes = specs.map((n) => ({ ...n, port: fleet.node(n.name).port, root: fleet.node(n.name).root }));

  log(`starting the k3s channel and release server (${versions.join(', ')}; stable ${stable})...`);
  const relFiles = releaseServerFiles(o.stateDir);
  const relPid = await startDetached(
    dist('sandbox/k3s-fake/main.js'),
    ['--state-dir', o.stateDir, '--versions', versions.join(','), '--stable', stable],
    path.join(o.stateDir, 'release.log'),
    async () => (await readFile(relFiles.infoFile, 'utf8').catch(() => '')).trim().endsWith('}'),
    'the k3s release server',
  );
  started.relPid = relPid;
  const rel = JSON.parse(await readFile(relFiles.infoFile, 'utf8')) as {
    url: string;
    channelUrl: string;
    installScriptUrl: string;
  };

  log(
    real
      ? 'starting a real Kubernetes control plane (etcd, kube-apiserver, controller manager, scheduler)...'
      : 'starting the Kubernetes API simulator...',
  );
  const simDir = path.join(o.stateDir, api);
  await mkdir(simDir, { recursive: true });
  const scenarioFile = path.join(o.stateDir, 'scenario.yaml');
  await writeFile(scenarioFile, stringify(sandboxScenario(nodes, { installed: o.k3s !== false })));
  const apiArgs = real
    ? [
        '-s',
        scenarioFile,
        '-d',
        simDir,
        ...(typeof o.kubeApiserver === 'string' ? ['--binaries', path.resolve(o.kubeApiserver)] : []),
      ]
    : ['-s', scenarioFile, '-d', simDir, ...(o.fast ? ['--fast'] : [])];
  // A real control plane takes seconds to start, and the first time to unpack its binaries.
  const simPid = await startDetached(
    dist(`sandbox/${api}/main.js`),
    apiArgs,
    path.join(o.stateDir, `${api}.log`),
    async () => (await readFile(path.join(simDir, 'url'), 'utf8').catch(() => '')).trim().length > 0,
    real ? 'the real control plane' : 'the API simulator',
    real ? 180_000 : 30_000,
  );
  Object.assign(started, { simPid, real });
  const simUrl = (await readFile(path.join(simDir, 'url'), 'utf8')).trim();
  const adminUrl = real ? (await readFile(path.join(simDir, 'admin-url'), 'utf8')).trim() : simUrl;
  const kubeconfig = await readFile(path.join(simDir, 'kubeconfig.yaml'), 'utf8');

  const k3sNodes = nodes.filter((n) => n.role === 'server' || n.role === 'agent');
  for (const n of nodes.filter((x) => x.role !== 'proxmox')) await setFakeNodeName(n.root, n.name);
  for (const n of k3sNodes.filter((x) => x.role === 'server')) await seedKubeconfig(n.root, kubeconfig);
  // One etcd cluster: its member list is the same for every server (and a spare that joins as one).
  for (const n of nodes.filter((x) => x.role === 'server' || x.role === 'spare'))
    await shareEtcdCluster(n.root, path.join(o.stateDir, 'k3s-etcd-members'));
  const target = { stateDir: o.stateDir, version, real, simDir, adminUrl, proxmox: Boolean(o.proxmox), log };
  if (o.k3s !== false) await installAndDeploy(target, nodes, fleet);
  else if (o.proxmox) await registerContainers(o.stateDir, nodes, fleet);

  const paths = fleetPaths(path.join(o.stateDir, 'fleet'));
  const inventory = path.join(o.stateDir, o.proxmox ? 'proxmox.ini' : 'inventory.ini');
  await writeFile(
    inventory,
    renderInventory({
      nodes,
      keyFile: fleet.clientKeyPath,
      knownHosts: paths.knownHosts,
      channelUrl: rel.channelUrl,
      installScriptUrl: rel.installScriptUrl,
      apiPort: Number(new URL(simUrl).port),
      proxmox: Boolean(o.proxmox),
    }),
  );
  const state: SandboxState = {
    stateDir: o.stateDir,
    created: new Date().toISOString(),
    proxmox: Boolean(o.proxmox),
    version,
    versions,
    stable,
    nodes,
    sim: {
      pid: simPid,
      url: simUrl,
      adminUrl,
      dir: simDir,
      kubeconfig: path.join(simDir, 'kubeconfig.yaml'),
      kind: api,
    },
    release: {
      pid: relPid,
      url: rel.url,
      channelUrl: rel.channelUrl,
      installScriptUrl: rel.installScriptUrl,
      requestLog: relFiles.requestLog,
    },
    inventory,
    kubeconfig: path.join(simDir, 'kubeconfig.yaml'),
  };
  await writeSandboxState(state);
  log(`the sandbox is up: inventory ${inventory}`);
  return state;
}

/** Stops everything the sandbox started (by pid, also from another process) and removes its files. */
export async function sandboxDown(stateDir: string): Promise<boolean> {
  const s = await readSandboxState(stateDir);
  await sandboxDownQuiet(stateDir, s);
  return Boolean(s);
}

async function sandboxDownQuiet(stateDir: string, s?: SandboxState): Promise<void> {
  const state = s ?? (await readSandboxState(stateDir));
  // real-kube stops its processes itself on SIGTERM: a 2 s grace for kube-apiserver, then SIGKILL.
  await stopPid(state?.sim.pid, state?.sim.kind === 'real-kube' ? 8000 : 3000);
  await stopPid(state?.release.pid);
  if (existsSync(path.join(stateDir, 'fleet'))) await stopFleet(path.join(stateDir, 'fleet'));
  await rm(stateDir, { recursive: true, force: true });
}
