// taint, k8s_node and cluster_info against the Kubernetes API simulator.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../engine/kube/types.js';
import { clusterInfo } from '../../modules/kube/cluster_info.js';
import { k8sNode } from '../../modules/kube/k8s_node.js';
import { taint } from '../../modules/kube/taint.js';
import type { KubeSim } from '../../sandbox/kube-sim/index.js';
import { kubeFor, startSim } from '../helpers/kube.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(taint, path.join(import.meta.dirname, 'taint'));
planFixtures(k8sNode, path.join(import.meta.dirname, 'k8s_node'));
planFixtures(clusterInfo, path.join(import.meta.dirname, 'cluster_info'));

let sim: KubeSim;
let kube: KubeClient;
const opts = (nodeName = 'w-1') => ({ kube: async () => kube, nodeName });
const taintsOf = (n: string) => (sim.get('nodes', undefined, n)!.spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`);

beforeAll(async () => {
  sim = await startSim({
    scenario: {
      nodes: [
        { name: 's-1', role: 'server', kubeletVersion: 'v1.31.4+k3s1' },
        { name: 'w-1', role: 'agent', kubeletVersion: 'v1.31.4+k3s1' },
        { name: 'w-2', role: 'agent', kubeletVersion: 'v1.31.4+k3s1' },
      ],
      deployments: [{ name: 'web', replicas: 2 }],
      pvcs: [{ name: 'data' }],
    },
  });
  kube = await kubeFor(sim);
});

describe('taint', () => {
  it('adds a taint; check mode first writes nothing; the second run changes nothing', async () => {
    const args = { node: 's-1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] };
    sim.clearRequests();
    const check = await runModule(taint, args, opts(), { check: true });
    expect(check.status).toBe('changed');
    expect(sim.mutatingRequests()).toEqual([]);
    expect(taintsOf('s-1')).not.toContain('node-role.kubernetes.io/control-plane:NoSchedule');
    const r = await runModule(taint, args, opts());
    expect(r.status).toBe('changed');
    expect(taintsOf('s-1')).toContain('node-role.kubernetes.io/control-plane:NoSchedule');
    sim.clearRequests();
    const again = await runModule(taint, args, opts());
    expect(again.status).toBe('ok');
    expect(sim.mutatingRequests()).toEqual([]);
  });

  it('removes stale unreachable taints (both effects) from a node that is Ready again', async () => {
    sim.keepUnreachableTaint('w-2', true);
    sim.setNodeReady('w-2', false, 'unreachable');
    await sim.waitFor(() => taintsOf('w-2').length === 2, 10_000, 'unreachable taints');
    sim.setNodeReady('w-2', true);
    await sim.waitFor(() => sim.get('nodes', undefined, 'w-2')!.status?.conditions?.find((c: any) => c.type === 'Ready')?.status === 'True', 10_000, 'w-2 Ready');
    expect(taintsOf('w-2')).toEqual(['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
    const r = await runModule(taint, { node: 'w-2', state: 'absent', taints: [{ key: 'node.kubernetes.io/unreachable' }] }, opts());
    expect(r.status).toBe('changed');
    expect(r.changes).toHaveLength(2);
    expect(taintsOf('w-2')).toEqual([]);
  });

  it('reaches nodes by label selector', async () => {
    const r = await runModule(taint, { selector: 'node-role.kubernetes.io/control-plane=true', taints: [{ key: 'x', value: 'y', effect: 'PreferNoSchedule' }] }, opts());
    expect(r.status).toBe('changed');
    expect(r.data.nodes).toEqual(['s-1']);
  });

  it('says clearly when the API refuses (read-only user)', async () => {
    const viewer = await kubeFor(sim, 'viewer');
    const r = await runModule(taint, { node: 'w-1', taints: [{ key: 'x', effect: 'NoSchedule' }] }, { kube: async () => viewer, nodeName: 'w-1' });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('patching taints of node/w-1: Forbidden: nodes "w-1" is forbidden: User "viewer" cannot patch resource "nodes" in API group "" at the cluster scope');
  });
});

describe('k8s_node', () => {
  it('sets and removes labels, idempotently', async () => {
    const r = await runModule(k8sNode, { labels: { storage: 'longhorn' } }, opts());
    expect(r.status).toBe('changed');
    expect(sim.get('nodes', undefined, 'w-1')!.metadata?.labels?.storage).toBe('longhorn');
    expect((await runModule(k8sNode, { labels: { storage: 'longhorn' } }, opts())).status).toBe('ok');
    await runModule(k8sNode, { labels: { storage: null } }, opts());
    expect(sim.get('nodes', undefined, 'w-1')!.metadata?.labels?.storage).toBeUndefined();
  });

  it('waits until the node reports Ready with the new kubelet version', async () => {
    // A wait changes nothing: check mode says what it would wait for, as ok, like the real run.
    const rehearsal = await runModule(k8sNode, { wait: 'ready', kubelet_version: 'v1.32.5+k3s1', wait_timeout: 10, poll_interval: 0.1 }, opts(), { check: true });
    expect([rehearsal.status, rehearsal.msg]).toEqual(['ok', 'would wait until node/w-1 is Ready with kubelet v1.32.5+k3s1 (now: Ready=True (KubeletReady), kubelet v1.31.4+k3s1, wanted v1.32.5+k3s1)']);
    setTimeout(() => sim.setKubeletVersion('w-1', 'v1.32.5+k3s1'), 300);
    const progress: string[] = [];
    const r = await runModule(k8sNode, { wait: 'ready', kubelet_version: 'v1.32.5+k3s1', wait_timeout: 10, poll_interval: 0.1 }, { ...opts(), progress });
    expect(r.status).toBe('ok');
    expect((r.data.node as any).kubelet_version).toBe('v1.32.5+k3s1');
    expect(progress.some((p) => p.includes('kubelet v1.31.4+k3s1, wanted v1.32.5+k3s1'))).toBe(true);
  });

  it('fails with what it saw when the node never comes back', async () => {
    sim.setNodeReady('w-2', false);
    const r = await runModule(k8sNode, { node: 'w-2', wait: 'ready', wait_timeout: 0.5, poll_interval: 0.1 }, opts());
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^node\/w-2 is not Ready after 0\.5s \(Ready=(False|Unknown)/);
    sim.setNodeReady('w-2', true);
  });

  it('deletes a node object (check mode first: nothing written)', async () => {
    sim.addNode({ name: 'w-gone', role: 'agent' });
    sim.clearRequests();
    expect((await runModule(k8sNode, { node: 'w-gone', state: 'absent' }, opts(), { check: true })).status).toBe('changed');
    expect(sim.mutatingRequests()).toEqual([]);
    expect((await runModule(k8sNode, { node: 'w-gone', state: 'absent' }, opts())).status).toBe('changed');
    expect(sim.get('nodes', undefined, 'w-gone')).toBeUndefined();
    expect((await runModule(k8sNode, { node: 'w-gone', state: 'absent' }, opts())).status).toBe('ok');
  });
});

describe('cluster_info', () => {
  it('reads the cluster: versions, roles, pods, PVCs, skew', async () => {
    const r = await runModule(clusterInfo, {}, opts());
    expect(r.status).toBe('ok');
    expect(r.data.servers).toEqual(['s-1']);
    expect(r.data.agents).toEqual(['w-1', 'w-2']);
    expect(r.data.server_version).toMatch(/^v1\.31\.4/);
    expect(r.data.versions).toMatchObject({ 's-1': 'v1.31.4+k3s1', 'w-1': 'v1.32.5+k3s1' });
    expect((r.data.skew as any).ok).toBe(false);
    expect((r.data.problems as string[]).some((p) => p.startsWith('nodes run different versions'))).toBe(true);
    expect(r.msg).toContain('NODE');
  });
});
