// cluster-health.yaml and what seed 000's post-upgrade checklist asks: every DaemonSet's pod on
// every node that takes pods (node-exporter), the pods in CreateContainerConfigError or
// CrashLoopBackOff by name, and not every workload on one node ("all pods on master"), on one
// sandbox per backend. It only reads: --check runs the same checks and writes nothing.
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { WAITING_ANNOTATION } from '../../../sandbox/kube-sim/objects/waiting.js';
import { until, untilPodsSettled } from './arrange.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results, type Sandbox } from './sandbox.js';

const IGNORE_SYSTEM = ['-e', '{"k3s_health_ignore_namespaces": ["kube-system"]}'];

const failure = (r: Awaited<ReturnType<Sandbox['run']>>) =>
  results(r).find((e) => e.task === 'The cluster is healthy' && e.status === 'failed')?.msg ?? '';

const template = (app: string, waiting: string): V1PodTemplateSpec => ({
  metadata: { labels: { app }, annotations: { [WAITING_ANNOTATION]: waiting } },
  spec: { containers: [{ name: app, image: `registry.invalid/${app}:1` }] },
});

describeSandboxes('cluster-health.yaml: seed 000', [], (sandbox) => {
  it('a healthy cluster passes: the DaemonSet on every node, nothing stuck, the workloads spread', async () => {
    // As fresh from `sandbox up` as a user's: the workloads came once every node was Ready, and
    // the scheduler spread them (not seed 000's "all pods on master", which the next test makes).
    const web = (await sandbox().kube.core.listNamespacedPod({ namespace: 'default' })).items;
    expect(new Set(web.map((p) => p.spec?.nodeName)).size, JSON.stringify(web.map((p) => p.spec?.nodeName))).toBe(2);
    const r = await sandbox().run('cluster-health.yaml');
    expect(r.code, JSON.stringify(results(r).filter((e) => e.status === 'failed'))).toBe(0);
    expect(results(r).find((e) => e.task === 'Read the workloads')?.msg).toMatch(
      /^\d+ DaemonSets? on every node that takes pods, no pod stuck, workloads not all on one node$/,
    );
    expect(changeLines(r)).toEqual([]);
  });

  it('"all pods on master": every workload pod on s-1 while a-1 and a-2 are Ready and schedulable fails, in --check too, writing nothing', async () => {
    const sb = sandbox();
    const merge = sb.kube.patchOptions('merge') as never;
    const others = ['a-1', 'a-2'];
    for (const n of others) await sb.kube.core.patchNode({ name: n, body: { spec: { unschedulable: true } } }, merge);
    try {
      const pods = (await sb.kube.core.listNamespacedPod({ namespace: 'default' })).items;
      for (const p of pods.filter((x) => x.spec?.nodeName !== 's-1'))
        await sb.kube.core.deleteNamespacedPod({ name: p.metadata!.name!, namespace: 'default' });
      for (const n of others) await untilPodsSettled(sb, 'default', n);
    } finally {
      for (const n of others) await sb.kube.core.patchNode({ name: n, body: { spec: { unschedulable: null } } }, merge);
    }
    await sb.clearRequests();
    for (const flags of [['--check'], []]) {
      const r = await sb.run('cluster-health.yaml', ...flags, ...IGNORE_SYSTEM);
      expect(r.code, JSON.stringify(recap(r))).toBe(2);
      expect(failure(r)).toBe(
        "the cluster is not healthy:\n  every workload pod (2) runs on s-1 while a-1, a-2 are Ready and schedulable: the other nodes take no pods (check their kubelets' versions and events), or restart the workloads to spread them",
      );
    }
    expect(await sb.mutations()).toEqual([]);
  });

  describe('node-exporter in CreateContainerConfigError on every node, a crash-looping Deployment', () => {
    it('names the DaemonSet on each node and the stuck pods with the kubelet’s words', async () => {
      const sb = sandbox();
      const ns = 'monitoring';
      await sb.kube.core.createNamespace({ body: { metadata: { name: ns } } });
      await sb.kube.apps.createNamespacedDaemonSet({
        namespace: ns,
        body: {
          metadata: { name: 'node-exporter' },
          spec: {
            selector: { matchLabels: { app: 'node-exporter' } },
            template: template('node-exporter', 'CreateContainerConfigError'),
          },
        },
      });
      await sb.kube.apps.createNamespacedDeployment({
        namespace: ns,
        body: {
          metadata: { name: 'grafana' },
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: 'grafana' } },
            template: template('grafana', 'CrashLoopBackOff'),
          },
        },
      });
      const stuck = async () =>
        (await sb.kube.core.listNamespacedPod({ namespace: ns })).items.filter((p) =>
          p.status?.containerStatuses?.some((c) => c.state?.waiting?.reason),
        ).length === 4;
      await until(stuck, 'three node-exporter pods and grafana stuck waiting');
      await sb.clearRequests();
      const check = await sb.run('cluster-health.yaml', '--check');
      const r = await sb.run('cluster-health.yaml');
      expect(await sb.mutations()).toEqual([]);
      for (const run of [check, r]) {
        expect(run.code).toBe(2);
        const msg = failure(run);
        for (const node of ['s-1', 'a-1', 'a-2']) {
          expect(msg).toMatch(
            new RegExp(
              `\\n {2}daemonset monitoring/node-exporter has no Running pod on ${node} \\(node-exporter-\\w+: Pending, CreateContainerConfigError\\)`,
            ),
          );
          expect(msg).toMatch(
            new RegExp(
              `\\n {2}pod monitoring/node-exporter-\\w+ is Pending \\(CreateContainerConfigError\\) on ${node}`,
            ),
          );
        }
        const named = results(run).find((e) => e.task === 'The pods stuck waiting, by name')?.msg ?? '';
        expect(named).toMatch(
          /^pod monitoring\/grafana-\S+ on \S+ is in CrashLoopBackOff \(container grafana, 3 restarts: back-off 40s restarting failed container=grafana pod=grafana-\S+_monitoring\([0-9a-f-]+\)\)$/m,
        );
        expect(named).toMatch(
          /^pod monitoring\/node-exporter-\w+ on a-1 is in CreateContainerConfigError \(container node-exporter: secret "node-exporter-config" not found\)$/m,
        );
      }
      await sb.kube.apps.deleteNamespacedDaemonSet({ name: 'node-exporter', namespace: ns });
      await sb.kube.apps.deleteNamespacedDeployment({ name: 'grafana', namespace: ns });
    });
  });
});
