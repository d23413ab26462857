// A cluster described as plain data (JSON or YAML): nodes, workloads with their budgets,
// bare pods, claims, leases. Loaded by the CLI and by tests alike.
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { HerdbookError } from '../../engine/errors.js';
import type { SimTimings } from './clock.js';
import type { NodeCommands } from './controllers/command-source.js';
import type { IntOrString, Labels, PodPhase, Taint, Toleration } from './types.js';

export type ScenarioNode = NodeCommands & {
  name: string;
  role?: 'server' | 'agent';
  kubeletVersion?: string;
  /** false: the kubelet reports NotReady (or, with reachable: false, does not report at all). */
  ready?: boolean;
  reachable?: boolean;
  unschedulable?: boolean;
  labels?: Labels;
  annotations?: Labels;
  taints?: Taint[];
  internalIP?: string;
  etcd?: boolean;
  keepUnreachableTaint?: boolean;
  /** A node being joined: no Node object until its kubelet first reports (with commands, once k3s runs there). */
  joins?: boolean;
};

export type ScenarioBudget = { name?: string; minAvailable?: IntOrString; maxUnavailable?: IntOrString };

type PodShape = {
  labels?: Labels;
  annotations?: Labels;
  emptyDir?: boolean;
  /** Name of a PersistentVolumeClaim to mount. */
  pvc?: string;
  image?: string;
  nodeSelector?: Labels;
  tolerations?: Toleration[];
  terminationGracePeriodSeconds?: number;
  /** Simulated seconds the pod takes to stop after SIGTERM. */
  terminateSeconds?: number;
};

export type ScenarioDeployment = PodShape & {
  name: string;
  namespace?: string;
  replicas?: number;
  pdb?: ScenarioBudget;
};
export type ScenarioDaemonSet = PodShape & { name: string; namespace?: string };
export type ScenarioPod = PodShape & {
  name: string;
  namespace?: string;
  node?: string;
  phase?: PodPhase;
  ready?: boolean;
  /** A static pod's mirror: annotated kubernetes.io/config.mirror and owned by its Node. */
  mirror?: boolean;
};
export type ScenarioPdb = ScenarioBudget & { name: string; namespace?: string; selector: Labels };
export type ScenarioPvc = { name: string; namespace?: string; storage?: string; storageClassName?: string };
export type ScenarioLease = {
  name: string;
  namespace?: string;
  holderIdentity?: string;
  leaseDurationSeconds?: number;
};

export type Scenario = {
  /** Default kubelet version of nodes that do not give one. */
  kubeletVersion?: string;
  namespaces?: string[];
  nodes?: ScenarioNode[];
  deployments?: ScenarioDeployment[];
  daemonsets?: ScenarioDaemonSet[];
  pods?: ScenarioPod[];
  pdbs?: ScenarioPdb[];
  pvcs?: ScenarioPvc[];
  leases?: ScenarioLease[];
  timings?: Partial<SimTimings>;
};

export class ScenarioError extends HerdbookError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_SCENARIO', message, options);
  }
}

const LISTS = ['namespaces', 'nodes', 'deployments', 'daemonsets', 'pods', 'pdbs', 'pvcs', 'leases'] as const;

/** Checks the shape enough to give a clear message instead of a crash deep in the simulator. */
export function checkScenario(data: unknown, where = 'scenario'): Scenario {
  if (typeof data !== 'object' || data === null || Array.isArray(data))
    throw new ScenarioError(`${where}: expected a mapping`);
  const s = data as Record<string, unknown>;
  const known = new Set<string>([...LISTS, 'kubeletVersion', 'timings']);
  for (const k of Object.keys(s))
    if (!known.has(k)) throw new ScenarioError(`${where}: unknown key "${k}" (known: ${[...known].join(', ')})`);
  for (const k of LISTS) {
    const v = s[k];
    if (v === undefined) continue;
    if (!Array.isArray(v)) throw new ScenarioError(`${where}: "${k}" must be a list`);
    v.forEach((item, i) => {
      if (k === 'namespaces') {
        if (typeof item !== 'string') throw new ScenarioError(`${where}: namespaces[${i}] must be a string`);
      } else if (typeof item !== 'object' || item === null || typeof (item as { name?: unknown }).name !== 'string') {
        throw new ScenarioError(`${where}: ${k}[${i}] needs a "name"`);
      }
    });
  }
  for (const n of (s.nodes ?? []) as ScenarioNode[]) {
    if (n.role !== undefined && n.role !== 'server' && n.role !== 'agent')
      throw new ScenarioError(`${where}: node ${n.name}: role must be server or agent`);
    for (const k of ['versionCommand', 'readyCommand', 'readyFiles'] as const) {
      if (n[k] !== undefined && (!Array.isArray(n[k]) || n[k].some((a) => typeof a !== 'string'))) {
        throw new ScenarioError(`${where}: node ${n.name}: ${k} must be a list of strings (argv, no shell)`);
      }
    }
  }
  return s;
}

export async function loadScenario(path: string): Promise<Scenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new ScenarioError(`cannot read scenario ${path}: ${(e as Error).message}`, { cause: e });
  }
  let data: unknown;
  try {
    data = parse(text);
  } catch (e) {
    throw new ScenarioError(`${path}: ${(e as Error).message}`, { cause: e });
  }
  return checkScenario(data ?? {}, path);
}
