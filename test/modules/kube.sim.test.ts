// taint, k8s_node and cluster_info against both API servers: kube-sim and the real one.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { clusterInfo } from '../../modules/kube/cluster_info.js';
import { k8sNode } from '../../modules/kube/k8s_node.js';
import { taint } from '../../modules/kube/taint.js';
import { describeBackends } from '../helpers/backends.js';
import type { Obj } from '../helpers/kube-backend.js';
import type { SimBackend } from '../helpers/kube-backend-sim.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(taint, path.join(import.meta.dirname, 'taint'));
planFixtures(k8sNode, path.join(import.meta.dirname, 'k8s_node'));
planFixtures(clusterInfo, path.join(import.meta.dirname, 'cluster_info'));

const scenario = {
  nodes: [
    { name: 's-1', role: 'server' as const, kubeletVersion: 'v1.31.4+k3s1' },
    { name: 'w-1', role: 'agent' as const, kubeletVersion: 'v1.31.4+k3s1' },
    { name: 'w-2', role: 'agent' as const, kubeletVersion: 'v1.31.4+k3s1' },
  ],
  deployments: [{ name: 'web', replicas: 2 }],
  pvcs: [{ name: 'data' }],
};

const readyOf = (n: Obj) => n?.status?.conditions?.find((c: Obj) => c.type === 'Ready')?.status;

describeBackends('kube API modules', { scenario }, (b) => {
  const opts = (nodeName = 'w-1') => ({ kube: async () => b().kube, nodeName });
  const taintsOf = async (n: string) =>
    ((await b().get('nodes', undefined, n)).spec?.taints ?? []).map((t: Obj) => `${t.key}:${t.effect}`);
  const waitReady = (n: string, want: boolean) =>
    b().waitFor(
      async () => (readyOf(await b().get('nodes', undefined, n)) === 'True') === want,
      30_000,
      `${n} Ready=${want}`,
    );

  describe('taint', () => {
    it('adds a taint; check mode first writes nothing; the second run changes nothing', async () => {
      const args = { node: 's-1', taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] };
      await b().clearRequests();
      const check = await runModule(taint, args, opts(), { check: true });
      expect(check.status).toBe('changed');
      expect(await b().mutatingRequests()).toEqual([]);
      expect(await taintsOf('s-1')).not.toContain('node-role.kubernetes.io/control-plane:NoSchedule');
      const r = await runModule(taint, args, opts());
      expect(r.status, r.msg).toBe('changed');
      expect(await taintsOf('s-1')).toContain('node-role.kubernetes.io/control-plane:NoSchedule');
      await b().clearRequests();
      const again = await runModule(taint, args, opts());
      expect(again.status).toBe('ok');
      expect(await b().mutatingRequests()).toEqual([]);
    });

    // Seed 003: LXC restarts leave the unreachable taints on a Ready node. A real node lifecycle
    // controller takes them off a Ready node itself; what leaves them is a controller that does
    // not run, which kube-sim can play and the real control plane cannot.
    it('removes stale unreachable taints (both effects) from a node that is Ready again', async (t) => {
      if (b().name !== 'kube-sim') t.skip();
      const { sim } = b() as SimBackend;
      sim.keepUnreachableTaint('w-2', true);
      sim.setNodeReady('w-2', false, 'unreachable');
      await b().waitFor(async () => (await taintsOf('w-2')).length === 2, 10_000, 'unreachable taints');
      await b().setNodeReady('w-2', true);
      await waitReady('w-2', true);
      expect(await taintsOf('w-2')).toEqual([
        'node.kubernetes.io/unreachable:NoSchedule',
        'node.kubernetes.io/unreachable:NoExecute',
      ]);
      const r = await runModule(
        taint,
        { node: 'w-2', state: 'absent', taints: [{ key: 'node.kubernetes.io/unreachable' }] },
        opts(),
      );
      expect(r.status).toBe('changed');
      expect(r.changes).toHaveLength(2);
      expect(await taintsOf('w-2')).toEqual([]);
    });

    it('keeps the taints the node lifecycle controller manages (with their timeAdded) while changing its own', async () => {
      await b().setNodeReady('w-2', false, 'unreachable');
      await b().waitFor(
        async () => (await taintsOf('w-2')).includes('node.kubernetes.io/unreachable:NoExecute'),
        30_000,
        'unreachable taints on w-2',
      );
      const r = await runModule(
        taint,
        { node: 'w-2', taints: [{ key: 'maintenance', value: 'yes', effect: 'NoSchedule' }] },
        opts('w-2'),
      );
      expect(r.status, r.msg).toBe('changed');
      expect(await taintsOf('w-2')).toEqual(
        expect.arrayContaining(['maintenance:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']),
      );
      await b().setNodeReady('w-2', true);
      await waitReady('w-2', true);
      expect(
        (await runModule(taint, { node: 'w-2', state: 'absent', taints: [{ key: 'maintenance' }] }, opts('w-2')))
          .status,
      ).toBe('changed');
    });

    it('reaches nodes by label selector', async () => {
      const r = await runModule(
        taint,
        {
          selector: 'node-role.kubernetes.io/control-plane=true',
          taints: [{ key: 'x', value: 'y', effect: 'PreferNoSchedule' }],
        },
        opts(),
      );
      expect(r.status, r.msg).toBe('changed');
      expect(r.data.nodes).toEqual(['s-1']);
    });

    it('says clearly when the API refuses (read-only user)', async () => {
      const viewer = await b().viewer();
      const r = await runModule(
        taint,
        { node: 'w-1', taints: [{ key: 'x', effect: 'NoSchedule' }] },
        { kube: async () => viewer, nodeName: 'w-1' },
      );
      expect(r.status).toBe('failed');
      expect(r.msg).toBe(
        'patching taints of node/w-1: Forbidden: nodes "w-1" is forbidden: User "viewer" cannot patch resource "nodes" in API group "" at the cluster scope',
      );
    });
  });

  describe('k8s_node', () => {
    it('sets and removes labels, idempotently', async () => {
      const r = await runModule(k8sNode, { labels: { storage: 'longhorn' } }, opts());
      expect(r.status, r.msg).toBe('changed');
      expect((await b().get('nodes', undefined, 'w-1')).metadata?.labels?.storage).toBe('longhorn');
      expect((await runModule(k8sNode, { labels: { storage: 'longhorn' } }, opts())).status).toBe('ok');
      await runModule(k8sNode, { labels: { storage: null } }, opts());
      expect((await b().get('nodes', undefined, 'w-1')).metadata?.labels?.storage).toBeUndefined();
    });

    it('waits until the node reports Ready with the new kubelet version', async () => {
      // A wait changes nothing: check mode says what it would wait for, as ok, like the real run.
      const rehearsal = await runModule(
        k8sNode,
        { wait: 'ready', kubelet_version: 'v1.32.5+k3s1', wait_timeout: 10, poll_interval: 0.1 },
        opts(),
        { check: true },
      );
      expect([rehearsal.status, rehearsal.msg]).toEqual([
        'ok',
        'would wait until node/w-1 is Ready with kubelet v1.32.5+k3s1 (now: Ready=True (KubeletReady), kubelet v1.31.4+k3s1, wanted v1.32.5+k3s1)',
      ]);
      const progress: string[] = [];
      // The upgrade lands once the module has seen the old version (a fixed delay lost that race under load).
      const upgrade = (async () => {
        while (!progress.length) await new Promise((res) => setTimeout(res, 20));
        await b().setKubeletVersion('w-1', 'v1.32.5+k3s1');
      })();
      const r = await runModule(
        k8sNode,
        { wait: 'ready', kubelet_version: 'v1.32.5+k3s1', wait_timeout: 20, poll_interval: 0.1 },
        { ...opts(), progress },
      );
      await upgrade;
      expect(r.status, r.msg).toBe('ok');
      expect((r.data.node as Obj).kubelet_version).toBe('v1.32.5+k3s1');
      expect(progress.some((p) => p.includes('kubelet v1.31.4+k3s1, wanted v1.32.5+k3s1'))).toBe(true);
    });

    it('fails with what it saw when the node never comes back', async () => {
      await b().setNodeReady('w-2', false);
      await waitReady('w-2', false);
      const r = await runModule(k8sNode, { node: 'w-2', wait: 'ready', wait_timeout: 0.5, poll_interval: 0.1 }, opts());
      expect(r.status).toBe('failed');
      expect(r.msg).toMatch(/^node\/w-2 is not Ready after 0\.5s \(Ready=(False|Unknown)/);
      await b().setNodeReady('w-2', true);
      await waitReady('w-2', true);
    });

    it('deletes a node object (check mode first: nothing written)', async () => {
      await b().addNode({ name: 'w-gone', role: 'agent' });
      await b().waitFor(() => b().get('nodes', undefined, 'w-gone'), 30_000, 'w-gone registered');
      await b().clearRequests();
      expect((await runModule(k8sNode, { node: 'w-gone', state: 'absent' }, opts(), { check: true })).status).toBe(
        'changed',
      );
      expect(await b().mutatingRequests()).toEqual([]);
      expect((await runModule(k8sNode, { node: 'w-gone', state: 'absent' }, opts())).status).toBe('changed');
      expect(await b().get('nodes', undefined, 'w-gone')).toBeUndefined();
      expect((await runModule(k8sNode, { node: 'w-gone', state: 'absent' }, opts())).status).toBe('ok');
    });
  });

  describe('cluster_info', () => {
    it('reads the cluster: versions, roles, pods, PVCs, skew', async () => {
      const r = await runModule(clusterInfo, {}, opts());
      expect(r.status).toBe('ok');
      expect(r.data.servers).toEqual(['s-1']);
      expect(r.data.agents).toEqual(['w-1', 'w-2']);
      // The servers' version is the server Nodes' kubelet (k3s's own), whatever /version says.
      expect(r.data.server_version).toBe('v1.31.4+k3s1');
      expect(r.data.versions).toMatchObject({ 's-1': 'v1.31.4+k3s1', 'w-1': 'v1.32.5+k3s1' });
      expect((r.data.skew as Obj).ok).toBe(false);
      expect((r.data.problems as string[]).some((p) => p.startsWith('nodes run different versions'))).toBe(true);
      expect(r.msg).toContain('NODE');
      // The scenario's claim is used by no pod; of k3s's WaitForFirstConsumer class it waits, and that is no fault.
      expect(r.data.unbound_pvcs).toEqual([]);
      expect((r.data.problems as string[]).filter((p) => p.startsWith('pvc '))).toEqual([]);
    });
  });
});
