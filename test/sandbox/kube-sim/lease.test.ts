// coordination.k8s.io/v1 Leases, as herdbook's upgrade lock uses them: create, update
// with optimistic concurrency (409 Conflict with the real message), delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { V1MicroTime, type V1Lease } from '@kubernetes/client-node';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, failure, startFast, type Clients } from './helpers.js';

describe('kube-sim leases', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({ scenario: { nodes: [{ name: 's-1', role: 'server' }] } });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  const lock = (holder: string): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name: 'herdbook-upgrade', namespace: 'kube-system' },
    // MicroTime: six fractional digits, or the API server refuses the body (transcript 15).
    spec: {
      holderIdentity: holder,
      leaseDurationSeconds: 600,
      acquireTime: new V1MicroTime(),
      renewTime: new V1MicroTime(),
      leaseTransitions: 0,
    },
  });

  it('creates once; a second create is AlreadyExists', async () => {
    const created = await c.coordination.createNamespacedLease({ namespace: 'kube-system', body: lock('run-a') });
    expect(created.spec?.holderIdentity).toBe('run-a');
    expect(created.metadata?.uid).toBeTruthy();
    const f = await failure(c.coordination.createNamespacedLease({ namespace: 'kube-system', body: lock('run-b') }));
    expect(f.code).toBe(409);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'leases.coordination.k8s.io "herdbook-upgrade" already exists',
      reason: 'AlreadyExists',
      details: { name: 'herdbook-upgrade', group: 'coordination.k8s.io', kind: 'leases' },
      code: 409,
    });
  });

  it('updates with the current resourceVersion, and refuses a stale one with 409 Conflict', async () => {
    const current = await c.coordination.readNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system' });
    const stale = structuredClone(current);
    current.spec!.renewTime = new V1MicroTime();
    current.spec!.holderIdentity = 'run-a';
    current.spec!.leaseDurationSeconds = 900;
    const renewed = await c.coordination.replaceNamespacedLease({
      name: 'herdbook-upgrade',
      namespace: 'kube-system',
      body: current,
    });
    expect(Number(renewed.metadata?.resourceVersion)).toBeGreaterThan(Number(current.metadata?.resourceVersion));
    stale.spec!.holderIdentity = 'run-b';
    const f = await failure(
      c.coordination.replaceNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system', body: stale }),
    );
    expect(f.code).toBe(409);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Operation cannot be fulfilled on leases.coordination.k8s.io "herdbook-upgrade": the object has been modified; please apply your changes to the latest version and try again',
      reason: 'Conflict',
      details: { name: 'herdbook-upgrade', group: 'coordination.k8s.io', kind: 'leases' },
      code: 409,
    });
    const after = await c.coordination.readNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system' });
    expect(after.spec?.holderIdentity).toBe('run-a');
    expect(after.spec?.leaseDurationSeconds).toBe(900);
  });

  it('answers 400 when the body names another lease, and 422 for a zero duration', async () => {
    const current = await c.coordination.readNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system' });
    current.metadata!.name = 'other';
    const f = await failure(
      c.coordination.replaceNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system', body: current }),
    );
    expect(f.code).toBe(400);
    expect(f.body.message).toBe('the name of the object (other) does not match the name on the URL (herdbook-upgrade)');
    const bad = lock('x');
    bad.metadata!.name = 'zero';
    bad.spec!.leaseDurationSeconds = 0;
    const z = await failure(c.coordination.createNamespacedLease({ namespace: 'kube-system', body: bad }));
    expect(z.code).toBe(422);
    expect(z.body.message).toBe(
      'Lease.coordination.k8s.io "zero" is invalid: spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    );
    expect(z.body.details).toMatchObject({ name: 'zero', group: 'coordination.k8s.io', kind: 'Lease' });
  });

  it('updates a lease that does not exist with 404, and deletes with a Success Status', async () => {
    const ghost = lock('x');
    ghost.metadata!.name = 'ghost';
    const f = await failure(
      c.coordination.replaceNamespacedLease({ name: 'ghost', namespace: 'kube-system', body: ghost }),
    );
    expect(f.code).toBe(404);
    expect(f.body.message).toBe('leases.coordination.k8s.io "ghost" not found');
    const uid = sim.get('leases.coordination.k8s.io', 'kube-system', 'herdbook-upgrade')!.metadata.uid;
    const out = await c.coordination.deleteNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system' });
    expect(out).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'herdbook-upgrade', group: 'coordination.k8s.io', kind: 'leases', uid },
    });
    expect(sim.get('leases.coordination.k8s.io', 'kube-system', 'herdbook-upgrade')).toBeUndefined();
    const again = await failure(
      c.coordination.deleteNamespacedLease({ name: 'herdbook-upgrade', namespace: 'kube-system' }),
    );
    expect(again.code).toBe(404);
  });
});
