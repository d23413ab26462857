// drain against the Kubernetes API simulator: real HTTPS, real client-node, real evictions.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { KubeClient } from '../../engine/kube/types.js';
import { drain } from '../../modules/kube/drain/index.js';
import type { KubeSim, Scenario } from '../../sandbox/kube-sim/index.js';
import { kubeFor, startSim } from '../helpers/kube.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(drain, path.join(import.meta.dirname, 'drain'));

const podsOn = (sim: KubeSim, node: string) =>
  sim.list('pods').filter((p: any) => p.spec?.nodeName === node && !p.metadata?.deletionTimestamp).map((p: any) => `${p.metadata.namespace}/${p.metadata.name}`);

async function cluster(scenario: Scenario) {
  const sim = await startSim({ scenario });
  await sim.waitFor(() => sim.list('pods').length > 0 && sim.list('pods').every((p: any) => p.status?.phase === 'Running'), 10_000, 'pods running');
  const kube = await kubeFor(sim);
  return { sim, kube };
}

const nodes = [
  { name: 's-1', role: 'server' as const, taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] },
  { name: 'w-1', role: 'agent' as const },
  { name: 'w-2', role: 'agent' as const },
];

describe('drain on the simulator', () => {
  let sim: KubeSim;
  let kube: KubeClient;
  const run = (args: Record<string, unknown>, check = false, cordoned?: Map<string, string>) => runModule(drain, args, { kube: async () => kube, nodeName: 'w-1', cordoned }, { check });

  beforeAll(async () => {
    ({ sim, kube } = await cluster({
      nodes,
      deployments: [{ name: 'web', replicas: 2, pdb: { minAvailable: 1 } }],
      daemonsets: [{ name: 'svclb', namespace: 'kube-system' }],
      pods: [{ name: 'static-w1', namespace: 'kube-system', node: 'w-1', mirror: true }],
    }));
  });

  it('check mode lists what would happen and writes nothing', async () => {
    sim.clearRequests();
    const r = await run({ ignore_daemonsets: true }, true);
    expect(r.status).toBe('changed');
    expect(r.changes?.[0]).toBe('cordon node/w-1');
    expect(r.data.would_evict).toEqual(podsOn(sim, 'w-1').filter((p) => p.startsWith('default/web')));
    expect((r.data.skipped as { pod: string }[]).map((s) => s.pod).sort()).toEqual(podsOn(sim, 'w-1').filter((p) => p.startsWith('kube-system/')).sort());
    expect(sim.mutatingRequests()).toEqual([]);
    expect(sim.get('nodes', undefined, 'w-1')!.spec?.unschedulable).toBeFalsy();
  });

  it('refuses DaemonSet pods without ignore_daemonsets, before changing anything', async () => {
    sim.clearRequests();
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^unable to drain node\/w-1: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-system\/svclb-\w+/);
    expect(sim.mutatingRequests()).toEqual([]);
  });

  it('drains: cordons, evicts the web pod, leaves DaemonSet and mirror pods; the pod comes back elsewhere', async () => {
    const cordoned = new Map<string, string>();
    const before = podsOn(sim, 'w-1').filter((p) => p.startsWith('default/'));
    const r = await run({ ignore_daemonsets: true }, false, cordoned);
    expect(r.status, r.msg).toBe('changed');
    expect(r.data.evicted).toEqual(before);
    expect(sim.get('nodes', undefined, 'w-1')!.spec?.unschedulable).toBe(true);
    expect(podsOn(sim, 'w-1').filter((p) => p.startsWith('default/'))).toEqual([]);
    expect(cordoned.has('w-1')).toBe(true);
    await sim.waitFor(() => sim.list('pods', 'default').filter((p: any) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp).length === 2, 10_000, 'web back to 2 replicas');
    expect(sim.list('pods', 'default').every((p: any) => p.spec.nodeName === 'w-2')).toBe(true);
  });

  it('the same drain again is ok and changes nothing', async () => {
    sim.clearRequests();
    const r = await run({ ignore_daemonsets: true });
    expect(r.status).toBe('ok');
    expect(r.msg).toBe('node/w-1 already cordoned, nothing to evict');
    expect(sim.mutatingRequests()).toEqual([]);
  });

  it('uncordons a node herdbook cordoned', async () => {
    const cordoned = new Map([['w-1', 'drained']]);
    const r = await run({ state: 'uncordoned' }, false, cordoned);
    expect(r.status).toBe('changed');
    expect(sim.get('nodes', undefined, 'w-1')!.spec?.unschedulable).toBeFalsy();
    expect(sim.get('nodes', undefined, 'w-1')!.metadata?.annotations?.['herdbook.dev/cordoned-by']).toBeUndefined();
    expect(cordoned.size).toBe(0);
    const again = await run({ state: 'uncordoned' });
    expect(again.status).toBe('ok');
    expect(again.msg).toBe('node/w-1 already uncordoned');
  });

  it("leaves an operator's prior cordon in place on uncordon, unless told otherwise", async () => {
    await kube.core.patchNode({ name: 'w-2', body: { spec: { unschedulable: true } } }, kube.patchOptions('merge') as never);
    const opts = { kube: async () => kube, nodeName: 'w-2' };
    const drained = await runModule(drain, { ignore_daemonsets: true, timeout: 10 }, opts);
    expect(drained.status, drained.msg).toBe('changed');
    const kept = await runModule(drain, { state: 'uncordoned' }, opts);
    expect(kept.status).toBe('ok');
    expect(kept.msg).toMatch(/left cordoned: it was cordoned before herdbook drained it/);
    expect(sim.get('nodes', undefined, 'w-2')!.spec?.unschedulable).toBe(true);
    const forced = await runModule(drain, { state: 'uncordoned', respect_prior_cordon: false }, opts);
    expect(forced.status).toBe('changed');
    expect(sim.get('nodes', undefined, 'w-2')!.spec?.unschedulable).toBeFalsy();
  });
});

describe('drain: pods that need flags', () => {
  it('refuses emptyDir and bare pods, then evicts them with delete_emptydir_data and force', async () => {
    const { sim, kube } = await cluster({
      nodes,
      deployments: [{ name: 'cache', replicas: 1, emptyDir: true, nodeSelector: { 'kubernetes.io/hostname': 'w-1' } }],
      pods: [{ name: 'bare', namespace: 'default', node: 'w-1' }],
    });
    const opts = { kube: async () => kube, nodeName: 'w-1' };
    const refused = await runModule(drain, {}, opts);
    expect(refused.status).toBe('failed');
    expect(refused.msg).toContain('cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-');
    expect(refused.msg).toContain('cannot delete Pods that declare no controller (use --force to override): default/bare');
    expect(sim.get('nodes', undefined, 'w-1')!.spec?.unschedulable).toBeFalsy();
    const r = await runModule(drain, { delete_emptydir_data: true, force: true, timeout: 10 }, opts);
    expect(r.status, r.msg).toBe('changed');
    expect(podsOn(sim, 'w-1')).toEqual([]);
    expect(sim.get('pods', 'default', 'bare')).toBeUndefined();
  });
});

describe('drain and PodDisruptionBudgets', () => {
  it('a budget that never frees: times out, the node stays cordoned, the pods and the budget are named', async () => {
    const { sim, kube } = await cluster({ nodes, deployments: [{ name: 'db', replicas: 1, pdb: { name: 'db', minAvailable: 1 }, nodeSelector: { 'kubernetes.io/hostname': 'w-1' } }] });
    const progress: string[] = [];
    const cordoned = new Map<string, string>();
    const r = await runModule(drain, { timeout: 1.5, retry_interval: 0.3 }, { kube: async () => kube, nodeName: 'w-1', progress, cordoned });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^drain of node\/w-1 timed out after 1\.5s: 1 pod still there: default\/db-\S+; blocked by pdb\/default\/db \(1\/1 healthy, 0 disruptions allowed\)\. node\/w-1 stays cordoned/);
    expect(r.data.remaining_pods).toHaveLength(1);
    expect(sim.get('nodes', undefined, 'w-1')!.spec?.unschedulable).toBe(true);
    expect(cordoned.has('w-1')).toBe(true);
    expect(progress.some((p) => /waiting for 1 pod, blocked by pdb\/db/.test(p))).toBe(true);
    expect(podsOn(sim, 'w-1')).toHaveLength(1);
  });

  it('a budget that frees up mid-drain: the eviction is retried and succeeds', async () => {
    const { sim, kube } = await cluster({
      nodes: [...nodes, { name: 'w-3', role: 'agent' as const, unschedulable: true }],
      deployments: [{ name: 'api', replicas: 1, pdb: { name: 'api', minAvailable: 1 }, nodeSelector: { 'kubernetes.io/hostname': 'w-1' } }],
    });
    const progress: string[] = [];
    const drained = runModule(drain, { timeout: 20, retry_interval: 0.2 }, { kube: async () => kube, nodeName: 'w-1', progress });
    await sim.waitFor(() => progress.some((p) => p.includes('blocked by pdb/api')), 10_000, 'the eviction to be refused');
    // Loosen the budget: now one disruption is allowed.
    await kube.policy.patchNamespacedPodDisruptionBudget({ name: 'api', namespace: 'default', body: { spec: { minAvailable: 0 } } }, kube.patchOptions('merge') as never);
    const r = await drained;
    expect(r.status, r.msg).toBe('changed');
    expect(podsOn(sim, 'w-1')).toEqual([]);
  });

  it('disable_eviction deletes through the budget (and says it was a delete)', async () => {
    const { sim, kube } = await cluster({ nodes, deployments: [{ name: 'db', replicas: 1, pdb: { name: 'db', minAvailable: 1 }, nodeSelector: { 'kubernetes.io/hostname': 'w-1' } }] });
    sim.clearRequests();
    const r = await runModule(drain, { disable_eviction: true, timeout: 10 }, { kube: async () => kube, nodeName: 'w-1' });
    expect(r.status, r.msg).toBe('changed');
    expect(r.msg).toMatch(/1 pod deleted/);
    expect(sim.mutatingRequests().some((q) => q.method === 'DELETE' && q.path.includes('/pods/db-'))).toBe(true);
    expect(sim.mutatingRequests().some((q) => q.path.endsWith('/eviction'))).toBe(false);
  });
});

describe('drain waits for pods to be gone', () => {
  it('a pod that takes long to terminate is waited for', async () => {
    const { sim, kube } = await cluster({ nodes, deployments: [{ name: 'slow', replicas: 1, terminateSeconds: 40, nodeSelector: { 'kubernetes.io/hostname': 'w-1' } }] });
    const progress: string[] = [];
    const r = await runModule(drain, { timeout: 20 }, { kube: async () => kube, nodeName: 'w-1', progress });
    expect(r.status, r.msg).toBe('changed');
    expect(progress.some((p) => p === 'waiting for 1 pod')).toBe(true);
    expect(sim.list('pods', 'default').filter((p: any) => p.spec.nodeName === 'w-1')).toEqual([]);
  });

  it('a pod recreated under the same name (new UID) counts as gone', async () => {
    const { sim, kube } = await cluster({ nodes, pods: [{ name: 'db-0', namespace: 'default', node: 'w-1', terminateSeconds: 20 }] });
    const uid = sim.get('pods', 'default', 'db-0')!.metadata!.uid;
    const progress: string[] = [];
    const drained = runModule(drain, { force: true, timeout: 20 }, { kube: async () => kube, nodeName: 'w-1', progress });
    await sim.waitFor(() => sim.get('pods', 'default', 'db-0')?.metadata?.deletionTimestamp, 10_000, 'db-0 terminating');
    // What a StatefulSet controller does: the old pod is removed and a new one takes its name.
    sim.store.remove('pods', 'default', 'db-0');
    sim.addPod({ name: 'db-0', namespace: 'default', node: 'w-2' });
    const r = await drained;
    expect(r.status, r.msg).toBe('changed');
    expect(sim.get('pods', 'default', 'db-0')!.metadata!.uid).not.toBe(uid);
  });
});
