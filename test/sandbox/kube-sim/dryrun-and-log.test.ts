// ?dryRun=All answers as if, and changes nothing; the request log tells writes from reads
// and dry runs, so a test can prove that check mode wrote nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, mergePatch, startFast, strategicPatch, twoWorkers, type Clients } from './helpers.js';

describe('kube-sim dry runs and the request log', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({
      scenario: { ...twoWorkers, pods: [{ name: 'p', node: 'w-1' }], leases: [{ name: 'lock', holderIdentity: 'a' }] },
    });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  it('answers dry-run writes as if, without changing anything', async () => {
    const rvBefore = sim.store.resourceVersion;
    const node = await c.core.patchNode(
      { name: 'w-1', body: { spec: { unschedulable: true } }, dryRun: 'All' },
      mergePatch,
    );
    expect(node.spec?.unschedulable).toBe(true);
    const pod = await c.core.createNamespacedPod({
      namespace: 'default',
      body: { metadata: { name: 'q' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      dryRun: 'All',
    });
    expect(pod.metadata?.uid).toBeTruthy();
    expect(pod.metadata?.resourceVersion).toBeUndefined();
    const deleted = await c.core.deleteNamespacedPod({ name: 'p', namespace: 'default', dryRun: 'All' });
    expect(deleted.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    const lease = await c.coordination.readNamespacedLease({ name: 'lock', namespace: 'kube-system' });
    lease.spec!.holderIdentity = 'b';
    await c.coordination.replaceNamespacedLease({ name: 'lock', namespace: 'kube-system', body: lease, dryRun: 'All' });
    await c.core.deleteNode({ name: 'w-2', dryRun: 'All' });
    for (let i = 0; i < 3; i++) sim.reconcile();
    expect(sim.store.resourceVersion).toBe(rvBefore);
    expect(sim.get('nodes', undefined, 'w-1')?.spec.unschedulable).toBeUndefined();
    expect(sim.get('pods', 'default', 'q')).toBeUndefined();
    expect(sim.get('pods', 'default', 'p')?.metadata.deletionTimestamp).toBeUndefined();
    expect(sim.get('leases.coordination.k8s.io', 'kube-system', 'lock')?.spec.holderIdentity).toBe('a');
    expect(sim.get('nodes', undefined, 'w-2')).toBeDefined();
  });

  it('records each request with method, path, query, content type, user, status and body', async () => {
    sim.clearRequests();
    await c.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=w-1' });
    await c.core.patchNode({ name: 'w-1', body: { metadata: { labels: { a: 'b' } } }, dryRun: 'All' }, strategicPatch);
    const [list, patch] = sim.requests();
    expect(list).toMatchObject({
      seq: expect.any(Number),
      method: 'GET',
      path: '/api/v1/pods',
      verb: 'list',
      user: 'system:admin',
      status: 200,
      mutating: false,
      dryRun: false,
    });
    expect(list.query).toEqual({ fieldSelector: ['spec.nodeName=w-1'] });
    expect(patch).toMatchObject({
      method: 'PATCH',
      path: '/api/v1/nodes/w-1',
      verb: 'patch',
      contentType: 'application/strategic-merge-patch+json',
      status: 200,
      body: { metadata: { labels: { a: 'b' } } },
      dryRun: true,
      mutating: false,
    });
    expect(patch.query).toEqual({ dryRun: ['All'] });
    expect(Date.parse(patch.time)).not.toBeNaN();
  });

  it('lists only real writes as mutating, whatever their answer', async () => {
    sim.clearRequests();
    // What a check-mode run does: reads and dry runs.
    await c.core.readNode({ name: 'w-1' });
    await c.core.listNode();
    await c.core.createNamespacedPodEviction({
      name: 'p',
      namespace: 'default',
      body: { metadata: { name: 'p' } },
      dryRun: 'All',
    });
    expect(sim.requests()).toHaveLength(3);
    expect(sim.mutatingRequests()).toEqual([]);
    // A real run writes.
    await c.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: true } } }, mergePatch);
    await c.core.deleteNamespacedPod({ name: 'missing', namespace: 'default' }).catch(() => undefined);
    const writes = sim.mutatingRequests();
    expect(writes.map((w) => `${w.method} ${w.path} ${w.status}`)).toEqual([
      'PATCH /api/v1/nodes/w-1 200',
      'DELETE /api/v1/namespaces/default/pods/missing 404',
    ]);
    expect(writes[1]).toMatchObject({ reason: 'NotFound', message: 'pods "missing" not found' });
    sim.clearRequests();
    expect(sim.requests()).toEqual([]);
  });
});
