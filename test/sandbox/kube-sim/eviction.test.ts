// The eviction subresource against PodDisruptionBudgets, with eviction.go's rules and
// messages: 201 allowed, 429 from a budget, 404 for a missing pod, 500 for two budgets.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim, Scenario } from '../../../sandbox/kube-sim/index.js';
import type { PodDisruptionBudget } from '../../../sandbox/kube-sim/types.js';
import { clientsFor, failure, mergePatch, raw, startFast, type Clients } from './helpers.js';

const scenario: Scenario = {
  nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }, { name: 'w-2' }],
  deployments: [
    { name: 'web', replicas: 3, pdb: { minAvailable: 3 } },
    // api pods take long to stop (1000 simulated seconds, cut short by the test), so the budget stays spent.
    {
      name: 'api',
      replicas: 2,
      pdb: { maxUnavailable: 1 },
      terminationGracePeriodSeconds: 2000,
      terminateSeconds: 1000,
    },
    { name: 'batch', replicas: 2, pdb: { minAvailable: '50%' } },
  ],
  pods: [{ name: 'lonely', node: 'w-1', labels: { app: 'lonely' } }],
  pdbs: [
    { name: 'lonely-a', selector: { app: 'lonely' }, minAvailable: 0 },
    { name: 'lonely-b', selector: { app: 'lonely' }, maxUnavailable: 1 },
  ],
};

const evictionOf = (name: string, namespace = 'default') => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace },
});

describe('kube-sim eviction', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({ scenario });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  const pdb = (name: string) => sim.get('poddisruptionbudgets.policy', 'default', name) as PodDisruptionBudget;
  const podsOf = (app: string) => sim.list('pods', 'default').filter((p) => p.metadata.labels?.app === app);

  it('keeps PDB status current from the start', () => {
    expect(pdb('web-pdb').status).toMatchObject({
      currentHealthy: 3,
      desiredHealthy: 3,
      disruptionsAllowed: 0,
      expectedPods: 3,
      observedGeneration: 1,
    });
    expect(pdb('api-pdb').status).toMatchObject({
      currentHealthy: 2,
      desiredHealthy: 1,
      disruptionsAllowed: 1,
      expectedPods: 2,
    });
    expect(pdb('batch-pdb').status).toMatchObject({
      currentHealthy: 2,
      desiredHealthy: 1,
      disruptionsAllowed: 1,
      expectedPods: 2,
    });
  });

  it('refuses with 429 and the DisruptionBudget cause when the budget allows nothing', async () => {
    const victim = podsOf('web')[0].metadata.name!;
    const f = await failure(
      c.core.createNamespacedPodEviction({ name: victim, namespace: 'default', body: evictionOf(victim) }),
    );
    expect(f.code).toBe(429);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: "Cannot evict pod as it would violate the pod's disruption budget.",
      reason: 'TooManyRequests',
      details: {
        causes: [
          {
            reason: 'DisruptionBudget',
            message: 'The disruption budget web-pdb needs 3 healthy pods and has 3 currently',
          },
        ],
      },
      code: 429,
    });
    expect(sim.get('pods', 'default', victim)?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('evicts when the budget allows it: 201 Success, the budget spent, the pod replaced', async () => {
    const victim = podsOf('api')[0];
    // With every node cordoned the replacement stays Pending, so the spent budget stays spent.
    for (const n of ['s-1', 'w-1', 'w-2'])
      await c.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, mergePatch);
    const out = await c.core.createNamespacedPodEviction({
      name: victim.metadata.name!,
      namespace: 'default',
      body: evictionOf(victim.metadata.name!),
    });
    // client-node reads the answer as a V1Eviction; the request log has the code.
    expect(out.kind).toBe('Status');
    const record = sim.requests().at(-1)!;
    expect(record).toMatchObject({
      method: 'POST',
      path: `/api/v1/namespaces/default/pods/${victim.metadata.name}/eviction`,
      status: 201,
      verb: 'create',
      mutating: true,
    });
    // The API server decremented the budget and recorded the disruption before the controller caught up.
    const spent = pdb('api-pdb').status!;
    expect(spent.disruptionsAllowed).toBe(0);
    // A second eviction while the first is in flight is refused.
    const other = podsOf('api').find((p) => p.metadata.uid !== victim.metadata.uid && p.status.phase === 'Running')!;
    const f = await failure(
      c.core.createNamespacedPodEviction({
        name: other.metadata.name!,
        namespace: 'default',
        body: evictionOf(other.metadata.name!),
      }),
    );
    expect(f.code).toBe(429);
    expect(sim.get('pods', 'default', victim.metadata.name!)?.metadata.deletionGracePeriodSeconds).toBe(2000);
    // Force it out (a second delete can shorten the grace period): the ReplicaSet replaces it, the budget comes back.
    await c.core.deleteNamespacedPod({ name: victim.metadata.name!, namespace: 'default', gracePeriodSeconds: 0 });
    for (const n of ['s-1', 'w-1', 'w-2'])
      await c.core.patchNode({ name: n, body: { spec: { unschedulable: false } } }, mergePatch);
    await sim.waitFor(() => sim.get('pods', 'default', victim.metadata.name!) === undefined, 5000, 'evicted pod gone');
    await sim.waitFor(() => pdb('api-pdb').status?.disruptionsAllowed === 1, 5000, 'budget restored');
    const now = podsOf('api');
    expect(now).toHaveLength(2);
    expect(now.map((p) => p.metadata.uid)).not.toContain(victim.metadata.uid);
  });

  it('answers 404 for a pod that is not there', async () => {
    const f = await failure(
      c.core.createNamespacedPodEviction({ name: 'ghost', namespace: 'default', body: evictionOf('ghost') }),
    );
    expect(f.code).toBe(404);
    expect(f.body).toMatchObject({
      reason: 'NotFound',
      message: 'pods "ghost" not found',
      details: { name: 'ghost', kind: 'pods' },
    });
  });

  it('answers the 500 Status when more than one budget covers the pod', async () => {
    const f = await failure(
      c.core.createNamespacedPodEviction({ name: 'lonely', namespace: 'default', body: evictionOf('lonely') }),
    );
    expect(f.code).toBe(500);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.',
      code: 500,
    });
    expect(sim.get('pods', 'default', 'lonely')?.metadata.deletionTimestamp).toBeUndefined();
  });

  it('changes nothing for a dry-run eviction', async () => {
    await sim.waitFor(() => pdb('batch-pdb').status?.disruptionsAllowed === 1);
    const victim = podsOf('batch')[0].metadata.name!;
    const before = pdb('batch-pdb').metadata.resourceVersion;
    sim.clearRequests();
    const out = await c.core.createNamespacedPodEviction({
      name: victim,
      namespace: 'default',
      body: evictionOf(victim),
      dryRun: 'All',
    });
    expect(out.kind).toBe('Status');
    expect(sim.requests()[0]).toMatchObject({ status: 201, dryRun: true, mutating: false });
    expect(sim.get('pods', 'default', victim)?.metadata.deletionTimestamp).toBeUndefined();
    expect(pdb('batch-pdb').metadata.resourceVersion).toBe(before);
    expect(sim.requests()).toHaveLength(1);
    expect(sim.mutatingRequests()).toEqual([]);
  });

  it('accepts a policy/v1beta1 Eviction body and refuses a name that does not match the URL', async () => {
    const victim = podsOf('batch')[0].metadata.name!;
    const bad = await failure(
      c.core.createNamespacedPodEviction({ name: victim, namespace: 'default', body: evictionOf('someone-else') }),
    );
    expect(bad.code).toBe(400);
    expect(bad.body.message).toBe('name in URL does not match name in Eviction object');
    const r = await raw(sim, 'POST', `/api/v1/namespaces/default/pods/${victim}/eviction`, {
      token: sim.tokens.admin,
      contentType: 'application/json',
      body: JSON.stringify({
        apiVersion: 'policy/v1beta1',
        kind: 'Eviction',
        metadata: { name: victim, namespace: 'default' },
        deleteOptions: { gracePeriodSeconds: 0 },
      }),
    });
    expect(r.status).toBe(201);
    expect(r.json).toEqual({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 });
    // gracePeriodSeconds 0 in the eviction's deleteOptions: gone at once.
    expect(sim.get('pods', 'default', victim)).toBeUndefined();
  });

  it('lets an unready pod go without spending the budget when enough others are healthy', async () => {
    sim.addDeployment({ name: 'cache', replicas: 3, pdb: { minAvailable: 2 } });
    await sim.waitFor(() => (pdb('cache-pdb')?.status?.currentHealthy ?? 0) === 3, 5000, 'cache ready');
    const [sick] = podsOf('cache');
    sim.setPodReady('default', sick.metadata.name!, false);
    await sim.waitFor(
      () => pdb('cache-pdb').status?.currentHealthy === 2 && pdb('cache-pdb').status?.disruptionsAllowed === 0,
      5000,
      'budget sees the unready pod',
    );
    await c.core.createNamespacedPodEviction({
      name: sick.metadata.name!,
      namespace: 'default',
      body: evictionOf(sick.metadata.name!),
    });
    // Evicted: either gone already or terminating (a deletionTimestamp), never still plainly there.
    const after = sim.get('pods', 'default', sick.metadata.name!);
    expect(after === undefined || Boolean(after.metadata.deletionTimestamp)).toBe(true);
    expect(pdb('cache-pdb').status?.disruptedPods).toBeUndefined();
  });

  it('deletes a pending pod without asking the budget', async () => {
    const web = podsOf('web');
    // Cordon every node: the replacement of a deleted web pod cannot be scheduled.
    for (const n of ['s-1', 'w-1', 'w-2'])
      await c.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, mergePatch);
    await c.core.deleteNamespacedPod({ name: web[0].metadata.name!, namespace: 'default', gracePeriodSeconds: 0 });
    const pending = await sim.waitFor(() =>
      podsOf('web').find((p) => p.status.phase === 'Pending' && p.status.conditions?.length),
    );
    expect(pending.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message:
          '0/3 nodes are available: 3 node(s) were unschedulable. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.',
      }),
    );
    expect(pdb('web-pdb').status?.disruptionsAllowed).toBe(0);
    await c.core.createNamespacedPodEviction({
      name: pending.metadata.name!,
      namespace: 'default',
      body: evictionOf(pending.metadata.name!),
    });
    expect(sim.get('pods', 'default', pending.metadata.name!)).toBeUndefined();
  });
});
