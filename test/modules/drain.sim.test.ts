// drain against both API servers (kube-sim and the real one): real HTTPS, real client-node,
// real evictions and PodDisruptionBudgets.
import path from 'node:path';
import { expect, it } from 'vitest';
import { drain } from '../../modules/kube/drain/index.js';
import type { Scenario } from '../../sandbox/kube-sim/index.js';
import { describeBackends, type BackendName } from '../helpers/backends.js';
import { podsOn, type KubeBackend, type Obj } from '../helpers/kube-backend.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(drain, path.join(import.meta.dirname, 'drain'));

const nodes = [
  {
    name: 's-1',
    role: 'server' as const,
    taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }],
  },
  { name: 'w-1', role: 'agent' as const },
  { name: 'w-2', role: 'agent' as const },
];
const onW1 = { 'kubernetes.io/hostname': 'w-1' };

/** Every pod of the scenario is there and Running (the controllers and the scheduler have done their part). */
async function settled(b: KubeBackend, pods: number): Promise<void> {
  await b.waitFor(
    async () => {
      const all = await b.list('pods');
      return all.length >= pods && all.every((p: Obj) => p.status?.phase === 'Running');
    },
    60_000,
    `${pods} pods running`,
  );
}

const unschedulable = async (b: KubeBackend, n: string) => (await b.get('nodes', undefined, n)).spec?.unschedulable;

function cluster(
  title: string,
  scenario: Scenario | ((name: BackendName) => Scenario),
  pods: number,
  body: (b: () => KubeBackend) => void,
): void {
  describeBackends(
    title,
    (name) => ({ scenario: typeof scenario === 'function' ? scenario(name) : scenario }),
    (b) => {
      it('settles', async () => settled(b(), pods));
      body(b);
    },
  );
}

cluster(
  'drain',
  {
    // w-2 starts cordoned so that both web pods land on w-1 (the real scheduler would spread
    // them, or not); the drain test uncordons it, and the second eviction waits on the budget.
    nodes: nodes.map((n) => (n.name === 'w-2' ? { ...n, unschedulable: true } : n)),
    deployments: [{ name: 'web', replicas: 2, pdb: { minAvailable: 1 } }],
    daemonsets: [{ name: 'svclb', namespace: 'kube-system' }],
    pods: [{ name: 'static-w1', namespace: 'kube-system', node: 'w-1', mirror: true }],
  },
  5,
  (b) => {
    const run = (args: Record<string, unknown>, check = false, cordoned?: Map<string, string>) =>
      runModule(drain, args, { kube: async () => b().kube, nodeName: 'w-1', cordoned }, { check });

    it('check mode lists what would happen and writes nothing', async () => {
      await b().clearRequests();
      const r = await run({ ignore_daemonsets: true }, true);
      expect(r.status).toBe('changed');
      expect(r.changes?.[0]).toBe('cordon node/w-1');
      const on = await podsOn(b(), 'w-1');
      expect(r.data.would_evict).toEqual(on.filter((p) => p.startsWith('default/web')));
      expect((r.data.skipped as { pod: string }[]).map((s) => s.pod).sort()).toEqual(
        on.filter((p) => p.startsWith('kube-system/')).sort(),
      );
      expect(await b().mutatingRequests()).toEqual([]);
      expect(await unschedulable(b(), 'w-1')).toBeFalsy();
    });

    it('refuses DaemonSet pods without ignore_daemonsets, before changing anything', async () => {
      await b().clearRequests();
      const r = await run({});
      expect(r.status).toBe('failed');
      expect(r.msg).toMatch(
        /^unable to drain node\/w-1: cannot delete DaemonSet-managed Pods \(use --ignore-daemonsets to ignore\): kube-system\/svclb-\w+/,
      );
      expect(await b().mutatingRequests()).toEqual([]);
    });

    it('drains: cordons, evicts the web pods, leaves DaemonSet and mirror pods; they come back elsewhere', async () => {
      const kube = b().kube;
      await kube.core.patchNode(
        { name: 'w-2', body: { spec: { unschedulable: null } }, fieldManager: 'kubectl-uncordon' },
        kube.patchOptions('strategic') as never,
      );
      const cordoned = new Map<string, string>();
      const before = (await podsOn(b(), 'w-1')).filter((p) => p.startsWith('default/'));
      expect(before).toHaveLength(2);
      const r = await run({ ignore_daemonsets: true, timeout: 60 }, false, cordoned);
      expect(r.status, r.msg).toBe('changed');
      expect(r.data.evicted).toEqual(before);
      expect(await unschedulable(b(), 'w-1')).toBe(true);
      expect((await podsOn(b(), 'w-1')).filter((p) => p.startsWith('default/'))).toEqual([]);
      expect(cordoned.has('w-1')).toBe(true);
      const web = async () =>
        (await b().list('pods', 'default')).filter(
          (p: Obj) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp,
        );
      await b().waitFor(async () => (await web()).length === 2, 60_000, 'web back to 2 replicas');
      expect((await web()).every((p: Obj) => p.spec.nodeName === 'w-2')).toBe(true);
    });

    it('the same drain again is ok and changes nothing', async () => {
      await b().clearRequests();
      const r = await run({ ignore_daemonsets: true });
      expect(r.status).toBe('ok');
      expect(r.msg).toBe('node/w-1 already cordoned, nothing to evict');
      expect(await b().mutatingRequests()).toEqual([]);
    });

    it('records herdbook as the owner of the cordon (managedFields), as the uncordon check reads it', async () => {
      const n = await b().get('nodes', undefined, 'w-1');
      const owners = (n.metadata.managedFields ?? [])
        .filter((m: Obj) => m.fieldsV1?.['f:spec']?.['f:unschedulable'])
        .map((m: Obj) => m.manager);
      expect(owners).toEqual(['herdbook']);
    });

    it('uncordons a node herdbook cordoned', async () => {
      const cordoned = new Map([['w-1', 'drained']]);
      const r = await run({ state: 'uncordoned' }, false, cordoned);
      expect(r.status).toBe('changed');
      const n = await b().get('nodes', undefined, 'w-1');
      expect(n.spec?.unschedulable).toBeFalsy();
      expect(n.metadata?.annotations?.['herdbook.dev/cordoned-by']).toBeUndefined();
      expect(cordoned.size).toBe(0);
      const again = await run({ state: 'uncordoned' });
      expect(again.status).toBe('ok');
      expect(again.msg).toBe('node/w-1 already uncordoned');
    });

    it("leaves an operator's prior cordon in place on uncordon, unless told otherwise", async () => {
      const kube = b().kube;
      // kubectl cordon: a strategic merge patch under its own field manager.
      await kube.core.patchNode(
        { name: 'w-2', body: { spec: { unschedulable: true } }, fieldManager: 'kubectl-cordon' },
        kube.patchOptions('strategic') as never,
      );
      const opts = { kube: async () => kube, nodeName: 'w-2' };
      const drained = await runModule(drain, { ignore_daemonsets: true, timeout: 60 }, opts);
      expect(drained.status, drained.msg).toBe('changed');
      const kept = await runModule(drain, { state: 'uncordoned' }, opts);
      expect(kept.status).toBe('ok');
      expect(kept.msg).toMatch(/left cordoned: it was cordoned before herdbook drained it/);
      expect(await unschedulable(b(), 'w-2')).toBe(true);
      const forced = await runModule(drain, { state: 'uncordoned', respect_prior_cordon: false }, opts);
      expect(forced.status).toBe('changed');
      expect(await unschedulable(b(), 'w-2')).toBeFalsy();
    });
  },
);

cluster(
  'drain: pods that need flags',
  {
    nodes,
    deployments: [{ name: 'cache', replicas: 1, emptyDir: true, nodeSelector: onW1 }],
    pods: [{ name: 'bare', namespace: 'default', node: 'w-1' }],
  },
  2,
  (b) => {
    it('refuses emptyDir and bare pods, then evicts them with delete_emptydir_data and force', async () => {
      const opts = { kube: async () => b().kube, nodeName: 'w-1' };
      const refused = await runModule(drain, {}, opts);
      expect(refused.status).toBe('failed');
      expect(refused.msg).toContain(
        'cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-',
      );
      expect(refused.msg).toContain(
        'cannot delete Pods that declare no controller (use --force to override): default/bare',
      );
      expect(await unschedulable(b(), 'w-1')).toBeFalsy();
      const r = await runModule(drain, { delete_emptydir_data: true, force: true, timeout: 60 }, opts);
      expect(r.status, r.msg).toBe('changed');
      expect(await podsOn(b(), 'w-1')).toEqual([]);
      expect(await b().get('pods', 'default', 'bare')).toBeUndefined();
    });
  },
);

const guarded = (name: string) => ({
  nodes,
  deployments: [{ name, replicas: 1, pdb: { name, minAvailable: 1 }, nodeSelector: onW1 }],
});

cluster('drain: a budget that never frees', guarded('db'), 1, (b) => {
  it('times out, the node stays cordoned, the pods and the budget are named', async () => {
    // The disruption controller counts the pod healthy once it is Ready.
    await b().waitFor(
      async () => (await b().get('poddisruptionbudgets.policy', 'default', 'db'))?.status?.currentHealthy === 1,
      60_000,
      'pdb db sees its pod',
    );
    const progress: string[] = [];
    const cordoned = new Map<string, string>();
    const r = await runModule(
      drain,
      { timeout: 1.5, retry_interval: 0.3 },
      { kube: async () => b().kube, nodeName: 'w-1', progress, cordoned },
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(
      /^drain of node\/w-1 timed out after 1\.5s: 1 pod still there: default\/db-\S+; blocked by pdb\/default\/db \(1\/1 healthy, 0 disruptions allowed\)\. node\/w-1 stays cordoned/,
    );
    expect(r.data.remaining_pods).toHaveLength(1);
    expect(await unschedulable(b(), 'w-1')).toBe(true);
    expect(cordoned.has('w-1')).toBe(true);
    expect(progress.some((p) => /waiting for 1 pod, blocked by pdb\/db/.test(p))).toBe(true);
    expect(await podsOn(b(), 'w-1')).toHaveLength(1);
  });
});

cluster(
  'drain: a budget that frees up mid-drain',
  { ...guarded('api'), nodes: [...nodes, { name: 'w-3', role: 'agent' as const, unschedulable: true }] },
  1,
  (b) => {
    it('the eviction is retried and succeeds', async () => {
      await b().waitFor(
        async () => (await b().get('poddisruptionbudgets.policy', 'default', 'api'))?.status?.currentHealthy === 1,
        60_000,
        'pdb api sees its pod',
      );
      const kube = b().kube;
      const progress: string[] = [];
      const drained = runModule(
        drain,
        { timeout: 60, retry_interval: 0.2 },
        { kube: async () => kube, nodeName: 'w-1', progress },
      );
      await b().waitFor(
        () => progress.some((p) => p.includes('blocked by pdb/api')),
        30_000,
        'the eviction to be refused',
      );
      // Loosen the budget: now one disruption is allowed.
      await kube.policy.patchNamespacedPodDisruptionBudget(
        { name: 'api', namespace: 'default', body: { spec: { minAvailable: 0 } } },
        kube.patchOptions('merge') as never,
      );
      const r = await drained;
      expect(r.status, r.msg).toBe('changed');
      expect(await podsOn(b(), 'w-1')).toEqual([]);
    });
  },
);

cluster('drain: disable_eviction', guarded('db'), 1, (b) => {
  it('deletes through the budget (and says it was a delete)', async () => {
    await b().clearRequests();
    const r = await runModule(
      drain,
      { disable_eviction: true, timeout: 60 },
      { kube: async () => b().kube, nodeName: 'w-1' },
    );
    expect(r.status, r.msg).toBe('changed');
    expect(r.msg).toMatch(/1 pod deleted/);
    const writes = await b().mutatingRequests();
    expect(writes.some((q) => q.method === 'DELETE' && q.path.includes('/pods/db-'))).toBe(true);
    expect(writes.some((q) => q.path.includes('/eviction'))).toBe(false);
  });
});

// kube-sim counts simulated seconds (250 are 5 s: a loaded machine still sees the drain wait);
// the played kubelets of the real server count real ones.
cluster(
  'drain waits for slow pods',
  (name) => ({
    nodes,
    deployments: [
      {
        name: 'slow',
        replicas: 1,
        terminationGracePeriodSeconds: 300,
        terminateSeconds: name === 'real' ? 3 : 250,
        nodeSelector: onW1,
      },
    ],
  }),
  1,
  (b) => {
    it('a pod that takes long to terminate is waited for', async () => {
      const progress: string[] = [];
      const r = await runModule(drain, { timeout: 60 }, { kube: async () => b().kube, nodeName: 'w-1', progress });
      expect(r.status, r.msg).toBe('changed');
      expect(progress.some((p) => p === 'waiting for 1 pod')).toBe(true);
      expect((await b().list('pods', 'default')).filter((p: Obj) => p.spec.nodeName === 'w-1')).toEqual([]);
    });
  },
);

cluster(
  'drain: a pod recreated under its name',
  (name) => ({
    nodes,
    pods: [
      {
        name: 'db-0',
        namespace: 'default',
        node: 'w-1',
        terminationGracePeriodSeconds: 300,
        terminateSeconds: name === 'real' ? 25 : 200,
      },
    ],
  }),
  1,
  (b) => {
    it('counts as gone (new UID)', async () => {
      const kube = b().kube;
      const uid = (await b().get('pods', 'default', 'db-0')).metadata.uid;
      const progress: string[] = [];
      const drained = runModule(
        drain,
        { force: true, timeout: 60 },
        { kube: async () => kube, nodeName: 'w-1', progress },
      );
      await b().waitFor(
        async () => (await b().get('pods', 'default', 'db-0'))?.metadata?.deletionTimestamp,
        30_000,
        'db-0 terminating',
      );
      // What a StatefulSet controller does once the old pod is gone: a new one takes its name.
      await kube.core.deleteNamespacedPod({ name: 'db-0', namespace: 'default', gracePeriodSeconds: 0 });
      await b().waitFor(async () => !(await b().get('pods', 'default', 'db-0')), 30_000, 'db-0 removed');
      await b().addPod({ name: 'db-0', namespace: 'default', node: 'w-2' });
      const r = await drained;
      expect(r.status, r.msg).toBe('changed');
      expect((await b().get('pods', 'default', 'db-0')).metadata.uid).not.toBe(uid);
    });
  },
);
