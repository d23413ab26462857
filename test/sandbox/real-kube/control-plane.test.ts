// A real kube-apiserver v1.32.13 with its controllers and the played kubelets: it comes up,
// nodes register and become Ready, the scheduler and controllers place and run pods, a
// stopped kubelet gets its node tainted by the real node lifecycle controller, the audit log
// tells herdbook's writes from everyone else's, and nothing is left running afterwards.
import * as k8s from '@kubernetes/client-node';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { groupMembers, isRunning } from '../../../sandbox/real-kube/procfs.js';
import { describeRealKube, eventually, kubeClientFor, startRealKubeForFile } from '../../helpers/real-kube.js';

const mergePatch = k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

const taintKeys = (n: k8s.V1Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();
const ready = (n: k8s.V1Node) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status;

await describeRealKube('real control plane (kube-apiserver v1.32.13)', () => {
  const kube = startRealKubeForFile({
    scenario: {
      nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }, { name: 'w-2', kubeletVersion: 'v1.30.8+k3s1' }],
      deployments: [{ name: 'web', replicas: 2, pdb: { minAvailable: 1 } }],
      pods: [{ name: 'solo', node: 'w-1' }],
    },
  });

  it('comes up as v1.32.13 with the default ServiceAccount', async () => {
    const { api, version } = kube();
    expect(version).toBe('v1.32.13');
    expect((await api.kc.makeApiClient(k8s.VersionApi).getCode()).gitVersion).toBe('v1.32.13');
    expect(
      (await api.core.readNamespacedServiceAccount({ name: 'default', namespace: 'default' })).metadata?.name,
    ).toBe('default');
  });

  it('registers the nodes as k3s does, Ready, with their kubelet versions', async () => {
    const nodes = new Map((await kube().api.core.listNode()).items.map((n) => [n.metadata!.name!, n]));
    expect([...nodes.keys()].sort()).toEqual(['s-1', 'w-1', 'w-2']);
    expect(nodes.get('s-1')!.metadata!.labels).toMatchObject({
      'kubernetes.io/hostname': 's-1',
      'kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'node.kubernetes.io/instance-type': 'k3s',
      'node-role.kubernetes.io/control-plane': 'true',
      'node-role.kubernetes.io/master': 'true',
      'node-role.kubernetes.io/etcd': 'true',
    });
    expect(Object.keys(nodes.get('w-1')!.metadata!.labels!).filter((k) => k.startsWith('node-role'))).toEqual([]);
    for (const n of nodes.values())
      expect([n.metadata!.name, ready(n), taintKeys(n)]).toEqual([n.metadata!.name, 'True', []]);
    expect(nodes.get('w-2')!.status!.nodeInfo!.kubeletVersion).toBe('v1.30.8+k3s1');
    expect(nodes.get('w-1')!.status!.nodeInfo!.kubeletVersion).toBe('v1.31.4+k3s1');
    const lease = await kube().api.coordination.readNamespacedLease({ name: 'w-1', namespace: 'kube-node-lease' });
    expect(Date.now() - new Date(lease.spec!.renewTime!).getTime()).toBeLessThan(5000);
  });

  it("runs a Deployment's pods on the played kubelets: scheduled, Running and Ready", async () => {
    const { api } = kube();
    await api.apps.createNamespacedDeployment({
      namespace: 'default',
      body: {
        metadata: { name: 'api' },
        spec: {
          replicas: 2,
          selector: { matchLabels: { app: 'api' } },
          template: {
            metadata: { labels: { app: 'api' } },
            spec: {
              nodeSelector: { 'kubernetes.io/hostname': 'w-1' },
              containers: [{ name: 'app', image: 'registry.local/api:1.0' }],
            },
          },
        },
      },
    });
    const pods = await eventually(async () => {
      const items = (await api.core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=api' })).items;
      const running = items.filter(
        (p) =>
          p.status?.phase === 'Running' && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
      );
      return running.length === 2 && running;
    }, 'both api pods Running and Ready');
    expect(pods.map((p) => p.spec!.nodeName)).toEqual(['w-1', 'w-1']);
    expect(pods[0].status!.podIP).toMatch(/^10\.42\.1\.\d+$/);
    expect(pods[0].status!.containerStatuses![0]).toMatchObject({ name: 'app', ready: true, started: true });
    // The deployment and disruption controllers write their status on their own time.
    await eventually(
      async () =>
        (await api.apps.readNamespacedDeployment({ name: 'web', namespace: 'default' })).status?.readyReplicas === 2,
      'web: 2 ready replicas in its status',
    );
    const pdb = await eventually(async () => {
      const p = await api.policy.readNamespacedPodDisruptionBudget({ name: 'web-pdb', namespace: 'default' });
      return p.status?.currentHealthy === 2 && p;
    }, 'web-pdb: 2 healthy');
    expect(pdb.status).toMatchObject({ currentHealthy: 2, desiredHealthy: 1, disruptionsAllowed: 1 });
  });

  it('finishes a deleted pod once its containers stopped (long before its 30 s grace period)', async () => {
    const { api } = kube();
    const t0 = Date.now();
    await api.core.deleteNamespacedPod({ name: 'solo', namespace: 'default' });
    await eventually(
      async () =>
        !(await api.core.listNamespacedPod({ namespace: 'default', fieldSelector: 'metadata.name=solo' })).items.length,
      'solo gone',
      10_000,
    );
    expect(Date.now() - t0).toBeLessThan(8000);
  });

  it('stopping a kubelet: the node lifecycle controller makes the node Unknown and taints it unreachable; its pods stay Terminating', async () => {
    const { api } = kube();
    await api.core.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'stuck' },
        spec: { nodeName: 'w-2', containers: [{ name: 'app', image: 'registry.local/app:1.0' }] },
      },
    });
    await eventually(
      async () =>
        (await api.core.readNamespacedPod({ name: 'stuck', namespace: 'default' })).status?.phase === 'Running',
      'stuck Running',
    );
    kube().setNodeReady('w-2', false);
    const node = await eventually(async () => {
      const n = await api.core.readNode({ name: 'w-2' });
      return taintKeys(n).length === 2 && n;
    }, 'the unreachable taints on w-2');
    expect(taintKeys(node)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    expect(node.status!.conditions!.find((c) => c.type === 'Ready')).toMatchObject({
      status: 'Unknown',
      reason: 'NodeStatusUnknown',
      message: 'Kubelet stopped posting node status.',
    });
    await api.core.deleteNamespacedPod({ name: 'stuck', namespace: 'default' });
    await new Promise((r) => setTimeout(r, 3000));
    const stuck = await api.core.readNamespacedPod({ name: 'stuck', namespace: 'default' });
    expect(stuck.metadata?.deletionTimestamp).toBeDefined();

    // Back: Ready again, the taints go, and the kubelet finishes the pod it was asked to stop.
    kube().setNodeReady('w-2', true);
    await eventually(async () => {
      const n = await api.core.readNode({ name: 'w-2' });
      return ready(n) === 'True' && taintKeys(n).length === 0;
    }, 'w-2 Ready without taints');
    await eventually(
      async () =>
        !(await api.core.listNamespacedPod({ namespace: 'default', fieldSelector: 'metadata.name=stuck' })).items
          .length,
      'stuck gone',
    );
  });

  it("the audit log shows the admin's writes (not dry runs), and none of the kubelets' or controllers'", async () => {
    const k = kube();
    await k.clearRequests();
    await k.api.core.patchNode({ name: 'w-1', body: { metadata: { labels: { audited: 'yes' } } } }, mergePatch);
    await k.api.core.patchNode(
      { name: 'w-1', dryRun: 'All', body: { metadata: { labels: { dry: 'run' } } } },
      mergePatch,
    );
    // The kubelets renew their Leases every second meanwhile.
    await new Promise((r) => setTimeout(r, 1500));
    const writes = await k.mutatingRequests();
    expect(writes.map(({ verb, method, path: p, user, status }) => ({ verb, method, path: p, user, status }))).toEqual([
      { verb: 'patch', method: 'PATCH', path: '/api/v1/nodes/w-1', user: 'system:admin', status: 200 },
    ]);
    const log = readFileSync(path.join(k.stateDir, 'audit.log'), 'utf8');
    // The audit policy leaves the kubelets' heartbeats (and the controllers') out of the log itself.
    expect(log).toMatch(/"verb":"patch","user":\{"username":"system:admin"/);
    expect(log).not.toMatch(/"username":"(fake-kubelet|system:kube-controller-manager|system:serviceaccount:)/);
    await k.clearRequests();
    expect(await k.mutatingRequests()).toEqual([]);
  });

  it('gives the viewer read access and the real 403 for a write', async () => {
    const viewer = new k8s.KubeConfig();
    viewer.loadFromString(kube().kubeconfigFor('viewer'));
    const core = viewer.makeApiClient(k8s.CoreV1Api);
    expect((await core.listNode()).items).toHaveLength(3);
    expect((await core.listNamespacedPod({ namespace: 'default' })).items.length).toBeGreaterThan(0);
    const e = await core
      .patchNode({ name: 'w-1', body: { spec: { unschedulable: true } } }, mergePatch)
      .catch((x: k8s.ApiException<string>) => x);
    expect((e as k8s.ApiException<string>).code).toBe(403);
    expect(JSON.parse((e as k8s.ApiException<string>).body).message).toBe(
      'nodes "w-1" is forbidden: User "viewer" cannot patch resource "nodes" in API group "" at the cluster scope',
    );
    // herdbook's own client, from the viewer's kubeconfig file in the state directory.
    const hb = await kubeClientFor(kube(), 'viewer');
    expect((await hb.core.listNode()).items.map((n) => n.metadata?.name).sort()).toEqual(['s-1', 'w-1', 'w-2']);
  });

  it('refuses a Lease whose MicroTime has milliseconds (what client-node sends for a Date) with the real 400', async () => {
    const at = new Date('2026-12-05T14:35:20.405Z');
    const e = await kube()
      .api.coordination.createNamespacedLease({
        namespace: 'default',
        body: {
          metadata: { name: 'herdbook-lock' },
          spec: { holderIdentity: 'root@host', leaseDurationSeconds: 900, acquireTime: at, renewTime: at },
        },
      })
      .catch((x: k8s.ApiException<string>) => x);
    expect((e as k8s.ApiException<string>).code).toBe(400);
    expect(JSON.parse((e as k8s.ApiException<string>).body)).toMatchObject({
      reason: 'BadRequest',
      message:
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-05T14:35:20.405Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".405Z" as ".000000"',
    });
  });

  it('close(): every process of the group is gone and the state directory removed', async () => {
    const k = kube();
    const pids = k.pids();
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(pids.every(isRunning)).toBe(true);
    await k.close();
    expect(groupMembers(k.pgid)).toEqual([]);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(existsSync(k.stateDir)).toBe(false);
  });
});
