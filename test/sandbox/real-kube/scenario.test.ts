// kube-sim's scenario format on the real control plane: workloads with claims, DaemonSets,
// mirror and finished pods, a pod failing its readiness probe; and nodes whose kubelets
// report what a file (the sandbox fleet's k3s) says, joining when it first appears.
import type { V1Node } from '@kubernetes/client-node';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeRealKube, eventually, startRealKubeForFile } from '../../helpers/real-kube.js';
import { tempTree } from '../../helpers/tmp.js';

const files = tempTree({ 'a-1.version': 'k3s version v1.31.4+k3s1 (abcdef12)\ngo version go1.22\n' });
const versionOf = (name: string) => path.join(files, `${name}.version`);
const taintKeys = (n: V1Node) => (n.spec?.taints ?? []).map((t) => `${t.key}:${t.effect}`).sort();

await describeRealKube('a kube-sim scenario on the real control plane', () => {
  const kube = startRealKubeForFile({
    scenario: {
      namespaces: ['apps'],
      nodes: [
        { name: 's-1', role: 'server' },
        { name: 'a-1', versionFile: versionOf('a-1') },
        { name: 'j-1', joins: true, versionFile: versionOf('j-1') },
      ],
      pvcs: [{ name: 'data', namespace: 'apps' }],
      deployments: [{ name: 'db', namespace: 'apps', replicas: 1, pvc: 'data', pdb: { maxUnavailable: 1 } }],
      daemonsets: [{ name: 'svclb' }],
      pods: [
        { name: 'static', namespace: 'kube-system', node: 's-1', mirror: true },
        { name: 'finished', node: 'a-1', phase: 'Succeeded' },
        { name: 'unready', node: 's-1', ready: false },
      ],
    },
  });

  it('binds a claim through the played local-path provisioner: a volume pinned to the pod’s node', async () => {
    const { api } = kube();
    const [pod] = (await api.core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=db' })).items;
    const pvc = await api.core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'apps' });
    expect(pod.status?.phase, JSON.stringify({ pod: pod.status, pvc })).toBe('Running');
    expect(pvc.status?.phase).toBe('Bound');
    const pv = await api.core.readPersistentVolume({ name: pvc.spec!.volumeName! });
    expect(pv.spec?.nodeAffinity?.required?.nodeSelectorTerms[0].matchExpressions?.[0]).toEqual({
      key: 'kubernetes.io/hostname',
      operator: 'In',
      values: [pod.spec!.nodeName],
    });
    expect(pv.spec?.storageClassName).toBe('local-path');
  });

  it('runs a DaemonSet pod on each Ready node, mirror and finished pods as their kubelet left them', async () => {
    const { api } = kube();
    const svclb = (await api.core.listNamespacedPod({ namespace: 'kube-system', labelSelector: 'app=svclb' })).items;
    expect(svclb.map((p) => p.spec!.nodeName).sort()).toEqual(['a-1', 's-1']);
    const mirror = await api.core.readNamespacedPod({ name: 'static', namespace: 'kube-system' });
    expect(mirror.metadata?.ownerReferences?.[0]).toMatchObject({ kind: 'Node', name: 's-1', controller: true });
    expect(mirror.status?.phase).toBe('Running');
    expect((await api.core.readNamespacedPod({ name: 'finished', namespace: 'default' })).status?.phase).toBe(
      'Succeeded',
    );
    const unready = await api.core.readNamespacedPod({ name: 'unready', namespace: 'default' });
    expect([unready.status?.phase, unready.status?.conditions?.find((c) => c.type === 'Ready')?.status]).toEqual([
      'Running',
      'False',
    ]);
  });

  it('follows a pod’s readiness probe, and forgets a removed node', async () => {
    const { api } = kube();
    await kube().setPodReady('default', 'unready', true);
    await eventually(
      async () =>
        (await api.core.readNamespacedPod({ name: 'unready', namespace: 'default' })).status?.conditions?.some(
          (c) => c.type === 'Ready' && c.status === 'True',
        ),
      'unready Ready',
    );
    await kube().addNode({ name: 'gone' });
    await kube().removeNode('gone');
    expect((await api.core.listNode({ fieldSelector: 'metadata.name=gone' })).items).toEqual([]);
    expect(kube().kubelet('gone')).toBeUndefined();
    expect(await kube().mutatingRequests()).toEqual([]);
  });

  it('takes kubelet versions from the node source, and the server’s own when steered by hand', async () => {
    const { api } = kube();
    expect((await api.core.readNode({ name: 'a-1' })).status?.nodeInfo?.kubeletVersion).toBe('v1.31.4+k3s1');
    writeFileSync(versionOf('a-1'), 'k3s version v1.32.5+k3s1 (0123abcd)\n');
    await eventually(
      async () => (await api.core.readNode({ name: 'a-1' })).status?.nodeInfo?.kubeletVersion === 'v1.32.5+k3s1',
      'a-1 at v1.32.5+k3s1',
    );
    kube().setKubeletVersion('s-1', 'v1.32.5+k3s1');
    await eventually(
      async () => (await api.core.readNode({ name: 's-1' })).status?.nodeInfo?.kubeletVersion === 'v1.32.5+k3s1',
      's-1 at v1.32.5+k3s1',
    );
  });

  it('registers a joining node when k3s first runs there, and adds one by hand', async () => {
    const { api } = kube();
    expect((await api.core.listNode()).items.map((n) => n.metadata!.name).sort()).toEqual(['a-1', 's-1']);
    writeFileSync(versionOf('j-1'), 'k3s version v1.32.5+k3s1 (0123abcd)\n');
    await kube().addNode({ name: 'w-9', kubeletVersion: 'v1.30.14+k3s1' });
    for (const [name, version] of [
      ['j-1', 'v1.32.5+k3s1'],
      ['w-9', 'v1.30.14+k3s1'],
    ]) {
      const node = await eventually(async () => {
        const n = (await api.core.listNode({ fieldSelector: `metadata.name=${name}` })).items[0];
        return (
          n?.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') &&
          taintKeys(n).length === 0 &&
          n
        );
      }, `${name} Ready`);
      expect(node.status?.nodeInfo?.kubeletVersion).toBe(version);
    }
  });

  it('marks a node unreachable when its k3s is gone (the version file removed)', async () => {
    const { api } = kube();
    rmSync(versionOf('a-1'));
    await eventually(
      async () =>
        taintKeys(await api.core.readNode({ name: 'a-1' })).includes('node.kubernetes.io/unreachable:NoExecute'),
      'a-1 unreachable',
    );
    expect(kube().kubelet('a-1')).toMatchObject({ reachable: false, manual: false });
  });
});
