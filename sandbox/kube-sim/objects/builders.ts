// Scenario entries as Kubernetes objects, ready to be created through the API.
import type {
  ScenarioDaemonSet,
  ScenarioDeployment,
  ScenarioLease,
  ScenarioPdb,
  ScenarioPod,
  ScenarioPvc,
} from '../scenario.js';
import type { KubeObject, Labels, Pod, PodDisruptionBudget, Workload } from '../types.js';
import { TERMINATE_ANNOTATION } from './pod.js';

type Shape = Parameters<typeof podSpec>[0];

function podSpec(s: ScenarioDeployment | ScenarioDaemonSet | ScenarioPod): Pod['spec'] {
  const volumes: NonNullable<Pod['spec']['volumes']> = [];
  const mounts: Array<{ name: string; mountPath: string }> = [];
  if (s.emptyDir) {
    volumes.push({ name: 'scratch', emptyDir: {} });
    mounts.push({ name: 'scratch', mountPath: '/scratch' });
  }
  if (s.pvc) {
    volumes.push({ name: 'data', persistentVolumeClaim: { claimName: s.pvc } });
    mounts.push({ name: 'data', mountPath: '/data' });
  }
  const spec: Pod['spec'] = {
    containers: [
      { name: 'app', image: s.image ?? 'registry.local/app:1.0', ...(mounts.length ? { volumeMounts: mounts } : {}) },
    ],
  };
  if (volumes.length) spec.volumes = volumes;
  if (s.nodeSelector) spec.nodeSelector = s.nodeSelector;
  if (s.tolerations) spec.tolerations = s.tolerations;
  if (s.terminationGracePeriodSeconds !== undefined)
    spec.terminationGracePeriodSeconds = s.terminationGracePeriodSeconds;
  return spec;
}

function annotations(s: Shape): Labels | undefined {
  const a: Labels = { ...s.annotations };
  if (s.terminateSeconds !== undefined) a[TERMINATE_ANNOTATION] = String(s.terminateSeconds);
  return Object.keys(a).length ? a : undefined;
}

function template(s: ScenarioDeployment | ScenarioDaemonSet, labels: Labels): Workload['spec']['template'] {
  const metadata: KubeObject['metadata'] = { labels };
  const a = annotations(s);
  if (a) metadata.annotations = a;
  return { metadata, spec: podSpec(s) };
}

const appLabels = (s: { name: string; labels?: Labels }): Labels => s.labels ?? { app: s.name };

export function deploymentFrom(d: ScenarioDeployment): Workload {
  const labels = appLabels(d);
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: d.name, namespace: d.namespace ?? 'default', labels },
    spec: { replicas: d.replicas ?? 1, selector: { matchLabels: labels }, template: template(d, labels) },
  };
}

export function pdbFor(d: ScenarioDeployment): PodDisruptionBudget | undefined {
  if (!d.pdb) return undefined;
  const spec: PodDisruptionBudget['spec'] = { selector: { matchLabels: appLabels(d) } };
  if (d.pdb.minAvailable !== undefined) spec.minAvailable = d.pdb.minAvailable;
  if (d.pdb.maxUnavailable !== undefined) spec.maxUnavailable = d.pdb.maxUnavailable;
  if (spec.minAvailable === undefined && spec.maxUnavailable === undefined) spec.minAvailable = 1;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: d.pdb.name ?? `${d.name}-pdb`, namespace: d.namespace ?? 'default' },
    spec,
  };
}

export function pdbFrom(p: ScenarioPdb): PodDisruptionBudget {
  const spec: PodDisruptionBudget['spec'] = { selector: { matchLabels: p.selector } };
  if (p.minAvailable !== undefined) spec.minAvailable = p.minAvailable;
  if (p.maxUnavailable !== undefined) spec.maxUnavailable = p.maxUnavailable;
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: p.name, namespace: p.namespace ?? 'default' },
    spec,
  };
}

export function daemonSetFrom(d: ScenarioDaemonSet): Workload {
  const labels = appLabels(d);
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: d.name, namespace: d.namespace ?? 'kube-system', labels },
    spec: { selector: { matchLabels: labels }, template: template(d, labels) },
  };
}

export function podFrom(p: ScenarioPod, nodeUid?: string): Pod {
  const metadata: Pod['metadata'] = {
    name: p.name,
    namespace: p.namespace ?? 'default',
    labels: p.labels ?? { run: p.name },
  };
  const a = annotations(p);
  if (a) metadata.annotations = a;
  if (p.mirror && p.node) {
    metadata.annotations = {
      ...metadata.annotations,
      'kubernetes.io/config.mirror': 'sim',
      'kubernetes.io/config.source': 'file',
    };
    if (nodeUid)
      metadata.ownerReferences = [{ apiVersion: 'v1', kind: 'Node', name: p.node, uid: nodeUid, controller: true }];
  }
  const spec = podSpec(p);
  if (p.node) spec.nodeName = p.node;
  return { apiVersion: 'v1', kind: 'Pod', metadata, spec, status: {} };
}

export function pvcFrom(c: ScenarioPvc): KubeObject {
  const spec: Record<string, unknown> = {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: c.storage ?? '1Gi' } },
  };
  spec.storageClassName = c.storageClassName ?? 'local-path';
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name: c.name, namespace: c.namespace ?? 'default' },
    spec,
  };
}

export function leaseFrom(l: ScenarioLease): KubeObject {
  const spec: Record<string, unknown> = {};
  if (l.holderIdentity) spec.holderIdentity = l.holderIdentity;
  if (l.leaseDurationSeconds !== undefined) spec.leaseDurationSeconds = l.leaseDurationSeconds;
  return {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: l.name, namespace: l.namespace ?? 'kube-system' },
    spec,
  };
}
