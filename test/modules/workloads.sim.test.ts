// workloads_moved and workload_health against both API servers (kube-sim and the real one):
// a real drain, the scheduler placing the evicted pods, and kubelets that cannot run a
// container (kube-sim.herdbook.dev/waiting, played by both backends' kubelets).
import path from 'node:path';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { expect, it } from 'vitest';
import { drain } from '../../modules/kube/drain/index.js';
import { workloadHealth } from '../../modules/kube/workload_health.js';
import { workloadsMoved } from '../../modules/kube/workloads_moved.js';
import { WAITING_ANNOTATION } from '../../sandbox/kube-sim/objects/waiting.js';
import { describeBackends } from '../helpers/backends.js';
import type { KubeBackend, Obj } from '../helpers/kube-backend.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(workloadsMoved, path.join(import.meta.dirname, 'workloads_moved'));

const scenario = {
  nodes: [
    {
      name: 's-1',
      role: 'server' as const,
      taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }],
    },
    { name: 'w-1', role: 'agent' as const },
    { name: 'w-2', role: 'agent' as const },
  ],
  deployments: [{ name: 'web', replicas: 2 }],
};

const running = (p: Obj) =>
  p.status?.phase === 'Running' &&
  !p.metadata.deletionTimestamp &&
  p.status.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True');

async function webSettled(b: KubeBackend): Promise<Obj[]> {
  const pods = await b.waitFor(
    async () => {
      const pods = (await b.list('pods', 'default')).filter((p: Obj) => p.metadata.name.startsWith('web-'));
      return pods.length === 2 && pods.every(running) ? pods : undefined;
    },
    90_000,
    'web: 2 pods Running and Ready',
  );
  return pods!;
}

const cordon = (b: KubeBackend, node: string, on: boolean) =>
  b.kube.core.patchNode(
    { name: node, body: { spec: { unschedulable: on ? true : null } } },
    b.kube.patchOptions('merge') as never,
  );

const template = (app: string, waiting: string): V1PodTemplateSpec => ({
  metadata: { labels: { app }, annotations: { [WAITING_ANNOTATION]: waiting } },
  spec: { containers: [{ name: app, image: `registry.invalid/${app}:1` }] },
});

describeBackends('workloads_moved and workload_health', { scenario }, (b) => {
  const opts = () => ({ kube: async () => b().kube, nodeName: 's-1' });
  let from = '';
  let other = '';

  it('workloads_moved: --check waits for nothing and writes nothing; after the drain every evicted workload runs elsewhere', async () => {
    const web = await webSettled(b());
    from = web[0].spec.nodeName;
    other = from === 'w-1' ? 'w-2' : 'w-1';
    const dr = { node: from, ignore_daemonsets: true, delete_emptydir_data: true, timeout: 90 };
    await b().clearRequests();
    const rehearsal = await runModule(drain, dr, opts(), { check: true });
    const workloads = rehearsal.data.would_evict_workloads as string[];
    expect(workloads).toEqual([expect.stringMatching(/^ReplicaSet\/default\/web-\w+$/)]);
    const check = await runModule(workloadsMoved, { node: from, workloads }, opts(), { check: true });
    expect(check.status).toBe('ok');
    expect(check.msg).toMatch(
      new RegExp(
        `^would wait until deployment default/web: [01] of 2 pods Running and Ready off ${from}; web-\\S+ still on ${from}`,
      ),
    );
    expect(await b().mutatingRequests()).toEqual([]);

    const drained = await runModule(drain, dr, opts());
    expect(drained.status, drained.msg).toBe('changed');
    const moved = await runModule(
      workloadsMoved,
      { node: from, workloads: drained.data.would_evict_workloads, timeout: 90, poll_interval: 0.5 },
      opts(),
    );
    expect(moved.status, moved.msg).toBe('ok');
    expect(moved.msg).toBe(
      `every workload moved off ${from}: deployment default/web: 2 of 2 pods Running and Ready on ${other}`,
    );
    expect(moved.data).toMatchObject({ moved: ['Deployment/default/web'], not_moved: [] });
    await cordon(b(), from, false);
    // A real control plane's node lifecycle controller removes the node.kubernetes.io/unschedulable
    // taint a moment after the uncordon; until then the scheduler (and workload_health) skips it.
    await b().waitFor(
      async () =>
        !((await b().get('nodes', undefined, from)).spec?.taints ?? []).some(
          (t: Obj) => t.key === 'node.kubernetes.io/unschedulable',
        ),
      30_000,
      `${from} without the unschedulable taint`,
    );
  }, 240_000);

  it('workload_health: every workload pod on one node while another is Ready and schedulable', async () => {
    const r = await runModule(workloadHealth, {}, opts());
    expect(r.status).toBe('ok');
    expect(r.data.problems).toEqual([
      `every workload pod (2) runs on ${other} while ${from} is Ready and schedulable: the other nodes take no pods (check their kubelets' versions and events), or restart the workloads to spread them`,
    ]);
    expect(r.data.healthy).toBe(false);
  });

  it('workloads_moved names the workload that cannot move, and why, after its timeout', async () => {
    // The pods on `other` have nowhere to go: s-1 is tainted, `from` cordoned now.
    await cordon(b(), from, true);
    try {
      const dr = { node: other, ignore_daemonsets: true, delete_emptydir_data: true, timeout: 90 };
      const drained = await runModule(drain, dr, opts());
      expect(drained.status, drained.msg).toBe('changed');
      const r = await runModule(
        workloadsMoved,
        { node: other, workloads: drained.data.would_evict_workloads, timeout: 2, poll_interval: 0.5 },
        opts(),
      );
      expect(r.status).toBe('failed');
      expect(r.msg).toMatch(
        new RegExp(
          `^after 2s, 1 workload evicted from ${other} does not run elsewhere: deployment default/web: 0 of 2 pods Running and Ready off ${other}; web-\\S+ Pending \\(Unschedulable: 0/3 nodes are available: .*\\); web-\\S+ Pending \\(Unschedulable: .*\\)\\. ${other} stays cordoned`,
        ),
      );
      expect(r.data).toMatchObject({ not_moved: ['Deployment/default/web'] });
    } finally {
      await cordon(b(), from, false);
      await cordon(b(), other, false);
    }
    await webSettled(b());
  }, 240_000);

  it('workload_health names a DaemonSet missing on nodes and the pods stuck waiting, with the kubelet’s words', async () => {
    const ns = 'default';
    await b().kube.apps.createNamespacedDaemonSet({
      namespace: ns,
      body: {
        metadata: { name: 'node-exporter' },
        spec: {
          selector: { matchLabels: { app: 'node-exporter' } },
          template: template('node-exporter', 'CreateContainerConfigError'),
        },
      },
    });
    await b().kube.apps.createNamespacedDeployment({
      namespace: ns,
      body: {
        metadata: { name: 'crasher' },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: 'crasher' } },
          template: template('crasher', 'CrashLoopBackOff'),
        },
      },
    });
    try {
      const found = await b().waitFor(
        async () => {
          const x = await runModule(workloadHealth, {}, opts());
          return (x.data.daemonset_gaps as unknown[]).length === 2 &&
            (x.data.stuck as string[]).length === 3 &&
            (x.data.daemonset_gaps as { state?: string }[]).every(
              (g) => g.state === 'Pending, CreateContainerConfigError',
            )
            ? x
            : undefined;
        },
        90_000,
        'node-exporter stuck on both workers, crasher crash-looping',
      );
      const r = found!;
      expect(r.data.problems).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^daemonset default\/node-exporter has no Running pod on w-1 \(node-exporter-\w+: Pending, CreateContainerConfigError\)$/,
          ),
          expect.stringMatching(/^daemonset default\/node-exporter has no Running pod on w-2 /),
        ]),
      );
      expect(r.data.stuck).toEqual(
        expect.arrayContaining([
          expect.stringMatching(
            /^pod default\/crasher-\S+ on w-\d is in CrashLoopBackOff \(container crasher, 3 restarts: back-off 40s restarting failed container=crasher pod=crasher-\S+_default\([0-9a-f-]+\)\)$/,
          ),
          expect.stringMatching(
            /^pod default\/node-exporter-\w+ on w-1 is in CreateContainerConfigError \(container node-exporter: secret "node-exporter-config" not found\)$/,
          ),
        ]),
      );
      expect(r.data.healthy).toBe(false);
    } finally {
      await b().kube.apps.deleteNamespacedDaemonSet({ name: 'node-exporter', namespace: ns });
      await b().kube.apps.deleteNamespacedDeployment({ name: 'crasher', namespace: ns });
    }
  }, 240_000);
});
