// eviction.go's rules for pods that are not Ready (unhealthyPodEvictionPolicy) and the
// DisruptionTarget condition an eviction leaves (transcript 27).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { isPodReady } from '../../../sandbox/kube-sim/objects/pod.js';
import type { Pod } from '../../../sandbox/kube-sim/types.js';
import { clientsFor, failure, mergePatch, startFast, type Clients } from './helpers.js';

const evictionOf = (name: string) => ({
  apiVersion: 'policy/v1',
  kind: 'Eviction',
  metadata: { name, namespace: 'default' },
});

describe('kube-sim eviction of pods that are not Ready', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    // Pods that take 1000 simulated seconds to stop, so an evicted one stays to be looked at.
    sim = await startFast({
      scenario: {
        nodes: [{ name: 'w-1' }],
        deployments: [
          {
            name: 'web',
            replicas: 3,
            pdb: { minAvailable: 3 },
            terminateSeconds: 1000,
            terminationGracePeriodSeconds: 2000,
          },
        ],
      },
    });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());
  const pods = () => sim.list('pods', 'default').filter((p) => !p.metadata.deletionTimestamp) as Pod[];
  const pdbStatus = () => sim.get('poddisruptionbudgets.policy', 'default', 'web-pdb')!.status;

  it('refuses an unready pod with 429 while the budget is not met (IfHealthyBudget, the default)', async () => {
    const sick = pods()[0].metadata.name!;
    sim.setPodReady('default', sick, false);
    await sim.waitFor(() => pdbStatus().currentHealthy === 2);
    const f = await failure(
      c.core.createNamespacedPodEviction({ name: sick, namespace: 'default', body: evictionOf(sick) }),
    );
    expect(f.code).toBe(429);
    expect(f.body.details.causes).toEqual([
      { reason: 'DisruptionBudget', message: 'The disruption budget web-pdb needs 3 healthy pods and has 2 currently' },
    ]);
  });

  it('lets it go with AlwaysAllow, without spending the budget, and marks it DisruptionTarget (EvictionByEvictionAPI)', async () => {
    await c.policy.patchNamespacedPodDisruptionBudget(
      { name: 'web-pdb', namespace: 'default', body: { spec: { unhealthyPodEvictionPolicy: 'AlwaysAllow' } } },
      mergePatch,
    );
    const sick = pods().find((p) => p.metadata.annotations?.['kube-sim.herdbook.dev/ready'] === 'false')!.metadata
      .name!;
    await c.core.createNamespacedPodEviction({ name: sick, namespace: 'default', body: evictionOf(sick) });
    const gone = sim.get('pods', 'default', sick) as Pod;
    expect(gone.metadata.deletionTimestamp).toBeDefined();
    expect(gone.status.conditions?.find((x) => x.type === 'DisruptionTarget')).toMatchObject({
      status: 'True',
      reason: 'EvictionByEvictionAPI',
      message: 'Eviction API: evicting',
      lastProbeTime: null,
    });
    expect(pdbStatus().disruptedPods).toBeUndefined();
  });

  it('still refuses a Ready pod the budget protects', async () => {
    await sim.waitFor(() => pdbStatus().observedGeneration === 2);
    // A pod that is Ready now: the replacement the Deployment made for the evicted one may not be
    // Ready yet, and AlwaysAllow would rightly let that one go (a race CI lost under load).
    const healthy = pods().find((p) => isPodReady(p))!.metadata.name!;
    expect(
      (
        await failure(
          c.core.createNamespacedPodEviction({ name: healthy, namespace: 'default', body: evictionOf(healthy) }),
        )
      ).code,
    ).toBe(429);
  });
});
