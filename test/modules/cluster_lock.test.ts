import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../engine/kube/types.js';
import { clusterLock } from '../../modules/kube/cluster_lock.js';
import type { KubeSim } from '../../sandbox/kube-sim/index.js';
import { kubeFor, startSim } from '../helpers/kube.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(clusterLock, path.join(import.meta.dirname, 'cluster_lock'));

const LEASES = 'leases.coordination.k8s.io';

describe('cluster_lock on the simulator', () => {
  let sim: KubeSim;
  let kube: KubeClient;
  beforeAll(async () => {
    sim = await startSim({ scenario: { nodes: [{ name: 's-1', role: 'server' }] } });
    kube = await kubeFor(sim);
  });
  const as = (holder: string, args: Record<string, unknown> = {}, check = false) => runModule(clusterLock, { holder, purpose: 'upgrade', ...args }, { kube: async () => kube }, { check });

  it('takes the lease (check mode first: nothing written), lets its holder take it again, refuses anyone else', async () => {
    sim.clearRequests();
    expect((await as('ann', {}, true)).status).toBe('changed');
    expect(sim.mutatingRequests()).toEqual([]);
    expect((await as('ann')).status).toBe('changed');
    const lease = sim.get(LEASES, 'kube-system', 'herdbook-lock') as any;
    expect(lease.spec.holderIdentity).toBe('ann');
    expect(lease.metadata.annotations['herdbook.dev/purpose']).toBe('upgrade');
    // MicroTime: exactly six fractional digits, or a real API server answers 400 (transcript 15).
    expect(lease.spec.acquireTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(lease.spec.renewTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect((await as('ann')).status).toBe('changed');
    const bob = await as('bob');
    expect(bob.status).toBe('failed');
    expect(bob.msg).toMatch(/^lease kube-system\/herdbook-lock is held by ann since \S+ \(upgrade\): another operation is changing the cluster/);
  });

  it('releases only its own lock', async () => {
    expect((await as('bob', { state: 'released' })).status).toBe('ok');
    expect(sim.get(LEASES, 'kube-system', 'herdbook-lock')).toBeDefined();
    expect((await as('ann', { state: 'released' })).status).toBe('changed');
    expect(sim.get(LEASES, 'kube-system', 'herdbook-lock')).toBeUndefined();
    expect((await as('ann', { state: 'released' })).status).toBe('ok');
  });

  it('reports a stale lock and breaks it only when asked', async () => {
    const anHourAgo = new Date(Date.now() - 3600_000);
    await kube.coordination.createNamespacedLease({
      namespace: 'kube-system',
      body: { metadata: { name: 'herdbook-lock', namespace: 'kube-system' }, spec: { holderIdentity: 'crashed@host', leaseDurationSeconds: 60, acquireTime: kube.microTime(anHourAgo) as never, renewTime: kube.microTime(anHourAgo) as never } },
    });
    const refused = await as('ann');
    expect(refused.status).toBe('failed');
    expect(refused.msg).toMatch(/held by crashed@host since .* and expired \d+s ago: .*break it with break: true/);
    const broken = await as('ann', { break: true });
    expect(broken.status, broken.msg).toBe('changed');
    expect((sim.get(LEASES, 'kube-system', 'herdbook-lock') as any).spec.holderIdentity).toBe('ann');
  });
});
