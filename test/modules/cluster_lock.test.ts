import path from 'node:path';
import { expect, it } from 'vitest';
import { clusterLock } from '../../modules/kube/cluster_lock.js';
import { describeBackends } from '../helpers/backends.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(clusterLock, path.join(import.meta.dirname, 'cluster_lock'));

const LEASES = 'leases.coordination.k8s.io';
// MicroTime: exactly six fractional digits, or the API server answers 400 (transcript 15).
const MICRO_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;

describeBackends('cluster_lock', { scenario: { nodes: [{ name: 's-1', role: 'server' }] } }, (b) => {
  const as = (holder: string, args: Record<string, unknown> = {}, check = false) =>
    runModule(clusterLock, { holder, purpose: 'upgrade', ...args }, { kube: async () => b().kube }, { check });

  it('takes the lease (check mode first: nothing written), lets its holder take it again, refuses anyone else', async () => {
    await b().clearRequests();
    expect((await as('ann', {}, true)).status).toBe('changed');
    expect(await b().mutatingRequests()).toEqual([]);
    const taken = await as('ann');
    expect(taken.status, taken.msg).toBe('changed');
    const lease = await b().get(LEASES, 'kube-system', 'herdbook-lock');
    expect(lease.spec.holderIdentity).toBe('ann');
    expect(lease.metadata.annotations['herdbook.dev/purpose']).toBe('upgrade');
    expect(lease.spec.acquireTime).toMatch(MICRO_TIME);
    expect(lease.spec.renewTime).toMatch(MICRO_TIME);
    // The result reports what the server stored.
    expect((taken.data.lock as { acquired: string }).acquired).toBe(new Date(lease.spec.acquireTime).toISOString());
    const renewed = await as('ann');
    expect(renewed.status, renewed.msg).toBe('changed');
    expect((await b().get(LEASES, 'kube-system', 'herdbook-lock')).spec.acquireTime).toBe(lease.spec.acquireTime);
    const bob = await as('bob');
    expect(bob.status).toBe('failed');
    expect(bob.msg).toMatch(
      /^lease kube-system\/herdbook-lock is held by ann since \S+ \(upgrade\): another operation is changing the cluster/,
    );
  });

  it('releases only its own lock', async () => {
    expect((await as('bob', { state: 'released' })).status).toBe('ok');
    expect(await b().get(LEASES, 'kube-system', 'herdbook-lock')).toBeDefined();
    expect((await as('ann', { state: 'released' })).status).toBe('changed');
    expect(await b().get(LEASES, 'kube-system', 'herdbook-lock')).toBeUndefined();
    expect((await as('ann', { state: 'released' })).status).toBe('ok');
  });

  it('reports a stale lock and breaks it only when asked', async () => {
    const anHourAgo = b().kube.microTime(new Date(Date.now() - 3600_000));
    await b().kube.coordination.createNamespacedLease({
      namespace: 'kube-system',
      body: {
        metadata: { name: 'herdbook-lock', namespace: 'kube-system' },
        spec: {
          holderIdentity: 'crashed@host',
          leaseDurationSeconds: 60,
          acquireTime: anHourAgo,
          renewTime: anHourAgo,
        },
      },
    });
    const refused = await as('ann');
    expect(refused.status).toBe('failed');
    expect(refused.msg).toMatch(/held by crashed@host since .* and expired \d+s ago: .*break it with break: true/);
    const broken = await as('ann', { break: true });
    expect(broken.status, broken.msg).toBe('changed');
    expect((await b().get(LEASES, 'kube-system', 'herdbook-lock')).spec.holderIdentity).toBe('ann');
  });
});
