import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, startFast, twoWorkers } from './helpers.js';

describe('smoke', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startFast({ scenario: { ...twoWorkers, deployments: [{ name: 'web', replicas: 3, pdb: { minAvailable: 2 } }] } });
  });
  afterAll(() => sim.close());
  it('lists nodes and pods', async () => {
    const c = clientsFor(sim.kubeconfig);
    const nodes = await c.core.listNode();
    console.log(nodes.items.map((n) => [n.metadata?.name, n.status?.conditions?.find((x) => x.type === 'Ready')?.status]));
    const pods = await c.core.listPodForAllNamespaces();
    console.log(pods.items.map((p) => [p.metadata?.name, p.spec?.nodeName, p.status?.phase]));
    const pdb = await c.policy.readNamespacedPodDisruptionBudget({ name: 'web-pdb', namespace: 'default' });
    console.log(pdb.status);
    const v = await c.version.getCode();
    console.log(v);
    expect(pods.items.length).toBe(3);
  });
});
