// Controllers: graceful deletion, ReplicaSet replacement on another node, PDB status as
// pods come and go, DaemonSet pods on every node, garbage collection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import type { PodDisruptionBudget } from '../../../sandbox/kube-sim/types.js';
import { clientsFor, mergePatch, startFast, type Clients } from './helpers.js';

describe('kube-sim controllers', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({
      scenario: {
        nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }, { name: 'w-2' }],
        deployments: [
          { name: 'web', replicas: 3, pdb: { maxUnavailable: 1 }, emptyDir: true },
          // A simulated second is 20 ms: 3000 s of grace is a minute, so a loaded machine still reads
          // the pod while it is Terminating.
          { name: 'slow', replicas: 1, terminationGracePeriodSeconds: 3000, terminateSeconds: 100000 },
        ],
        daemonsets: [{ name: 'svclb' }],
      },
    });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  const podsOf = (app: string, ns = 'default') => sim.list('pods', ns).filter((p) => p.metadata.labels?.app === app);
  const pdb = () => sim.get('poddisruptionbudgets.policy', 'default', 'web-pdb') as PodDisruptionBudget;

  it('builds the owner chain Deployment → ReplicaSet → Pod with emptyDir volumes', async () => {
    const [pod] = podsOf('web');
    const rsRef = pod.metadata.ownerReferences![0];
    expect(rsRef).toMatchObject({ apiVersion: 'apps/v1', kind: 'ReplicaSet', controller: true });
    const rs = await c.apps.readNamespacedReplicaSet({ name: rsRef.name, namespace: 'default' });
    expect(rs.metadata?.uid).toBe(rsRef.uid);
    expect(rs.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Deployment', name: 'web', controller: true });
    expect(pod.spec.volumes).toContainEqual({ name: 'scratch', emptyDir: {} });
    const d = await c.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' });
    expect(d.status).toMatchObject({ replicas: 3, readyReplicas: 3, availableReplicas: 3, updatedReplicas: 3 });
  });

  it('deletes gracefully: deletionTimestamp first, then the pod is gone', async () => {
    const [slow] = podsOf('slow');
    const name = slow.metadata.name!;
    const answered = await c.core.deleteNamespacedPod({ name, namespace: 'default' });
    expect(answered.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(answered.metadata?.deletionGracePeriodSeconds).toBe(3000);
    const terminating = await c.core.readNamespacedPod({ name, namespace: 'default' });
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    // The pod is Terminating: its kubelet reports it not ready, and it is still listed.
    await sim.waitFor(
      () =>
        sim.get('pods', 'default', name)?.status.conditions.find((x: { type: string }) => x.type === 'Ready')
          ?.status === 'False',
    );
    // A second delete with a shorter grace period (DeleteOptions in the body) cuts it short.
    await c.core.deleteNamespacedPod({ name, namespace: 'default', body: { gracePeriodSeconds: 2 } });
    expect(sim.get('pods', 'default', name)?.metadata.deletionGracePeriodSeconds).toBe(2);
    await sim.waitFor(() => sim.get('pods', 'default', name) === undefined, 5000, 'pod gone');
    // A replacement with a new name and uid.
    const [replacement] = await sim.waitFor(() => podsOf('slow').length === 1 && podsOf('slow'));
    expect(replacement.metadata.name).not.toBe(name);
    expect(replacement.metadata.uid).not.toBe(slow.metadata.uid);
  });

  it('recreates an evicted ReplicaSet pod with a new uid on another, schedulable node', async () => {
    const victim = podsOf('web').find((p) => p.spec.nodeName === 'w-1')!;
    const before = podsOf('web').map((p) => p.metadata.uid!);
    await c.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: true } } }, mergePatch);
    await c.core.createNamespacedPodEviction({
      name: victim.metadata.name!,
      namespace: 'default',
      body: { metadata: { name: victim.metadata.name } },
    });
    const fresh = await sim.waitFor(
      () => {
        const now = podsOf('web').filter((p) => p.metadata.uid !== victim.metadata.uid && p.status.phase === 'Running');
        return now.length === 3 && sim.get('pods', 'default', victim.metadata.name!) === undefined && now;
      },
      5000,
      'replacement running',
    );
    const newcomers = fresh.filter((p) => !before.includes(p.metadata.uid!));
    expect(newcomers).toHaveLength(1);
    expect(newcomers[0].metadata.generateName).toBe(victim.metadata.generateName);
    expect(fresh.map((p) => p.spec.nodeName)).not.toContain('w-1');
    expect(fresh.map((p) => p.metadata.name)).not.toContain(victim.metadata.name);
    await c.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: false } } }, mergePatch);
  });

  it('keeps PDB status current as pods lose and regain readiness and come and go', async () => {
    await sim.waitFor(() => pdb().status?.disruptionsAllowed === 1, 5000, 'budget at 1');
    expect(pdb().status).toMatchObject({ currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 });
    const [a, b] = podsOf('web');
    sim.setPodReady('default', a.metadata.name!, false);
    await sim.waitFor(
      () => pdb().status?.currentHealthy === 2 && pdb().status?.disruptionsAllowed === 0,
      5000,
      'one unready',
    );
    expect(pdb().status?.conditions?.[0]).toMatchObject({
      type: 'DisruptionAllowed',
      status: 'False',
      reason: 'InsufficientPods',
    });
    sim.setPodReady('default', a.metadata.name!, true);
    await sim.waitFor(() => pdb().status?.disruptionsAllowed === 1, 5000, 'ready again');
    // Scaling the Deployment changes the expected count and the budget.
    await c.apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'default', body: { spec: { replicas: 5 } } },
      mergePatch,
    );
    await sim.waitFor(() => pdb().status?.expectedPods === 5 && pdb().status?.currentHealthy === 5, 5000, 'scaled up');
    expect(pdb().status).toMatchObject({ desiredHealthy: 4, disruptionsAllowed: 1 });
    // A pod goes and its replacement cannot be placed (every node cordoned): one healthy pod fewer.
    for (const n of ['s-1', 'w-1', 'w-2'])
      await c.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, mergePatch);
    await c.core.deleteNamespacedPod({ name: b.metadata.name!, namespace: 'default' });
    await sim.waitFor(
      () => pdb().status?.currentHealthy === 4 && pdb().status?.disruptionsAllowed === 0,
      5000,
      'one pod fewer',
    );
    for (const n of ['s-1', 'w-1', 'w-2'])
      await c.core.patchNode({ name: n, body: { spec: { unschedulable: false } } }, mergePatch);
    await sim.waitFor(
      () => pdb().status?.currentHealthy === 5 && pdb().status?.disruptionsAllowed === 1,
      5000,
      'replacement counted',
    );
  });

  it('runs a DaemonSet pod on every node, cordoned or not, and replaces it on the same node', async () => {
    await c.core.patchNode({ name: 'w-2', body: { spec: { unschedulable: true } } }, mergePatch);
    const ds = await sim.waitFor(() => podsOf('svclb', 'kube-system').length === 3 && podsOf('svclb', 'kube-system'));
    expect(ds.map((p) => p.spec.nodeName).sort()).toEqual(['s-1', 'w-1', 'w-2']);
    expect(ds[0].metadata.ownerReferences?.[0]).toMatchObject({ kind: 'DaemonSet', name: 'svclb' });
    const onW2 = ds.find((p) => p.spec.nodeName === 'w-2')!;
    await c.core.deleteNamespacedPod({ name: onW2.metadata.name!, namespace: 'kube-system', gracePeriodSeconds: 0 });
    const again = await sim.waitFor(() =>
      podsOf('svclb', 'kube-system').find((p) => p.spec.nodeName === 'w-2' && p.metadata.uid !== onW2.metadata.uid),
    );
    expect(again.metadata.name).not.toBe(onW2.metadata.name);
    const status = await c.apps.readNamespacedDaemonSet({ name: 'svclb', namespace: 'kube-system' });
    expect(status.status?.desiredNumberScheduled).toBe(3);
    await c.core.patchNode({ name: 'w-2', body: { spec: { unschedulable: false } } }, mergePatch);
  });

  it('collects a deleted Deployment’s ReplicaSets and pods', async () => {
    await c.apps.deleteNamespacedDeployment({ name: 'slow', namespace: 'default' });
    await sim.waitFor(
      () => sim.list('replicasets.apps', 'default').every((rs) => !rs.metadata.name!.startsWith('slow-')),
      5000,
      'rs collected',
    );
    // The pod is terminating (1000 simulated seconds to stop); force it.
    const [pod] = podsOf('slow');
    expect(pod.metadata.deletionTimestamp).toBeTruthy();
    await c.core.deleteNamespacedPod({ name: pod.metadata.name!, namespace: 'default', gracePeriodSeconds: 0 });
    expect(podsOf('slow')).toEqual([]);
  });
});
