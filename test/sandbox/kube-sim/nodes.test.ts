// Node readiness and kubelet versions from a nodeSource, and the node lifecycle
// controller's not-ready / unreachable taints, including the stale unreachable taint
// left on a Ready node (seed 003) that a recovery playbook must remove.
import { chmod, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseVersion, type KubeSim, type NodeReport } from '../../../sandbox/kube-sim/index.js';
import type { Node, Taint } from '../../../sandbox/kube-sim/types.js';
import { clientsFor, mergePatch, startFast, type Clients } from './helpers.js';

const ready = (n: Node) => n.status.conditions?.find((c) => c.type === 'Ready');
const taintKeys = (n: Node) => (n.spec.taints ?? []).map((t: Taint) => `${t.key}:${t.effect}`).sort();

describe('kube-sim node readiness from a nodeSource', () => {
  let sim: KubeSim;
  let c: Clients;
  const reports = new Map<string, NodeReport | undefined>();
  beforeAll(async () => {
    for (const n of ['s-1', 'w-1', 'w-2']) reports.set(n, { ready: true, kubeletVersion: 'v1.30.8+k3s1' });
    sim = await startFast({
      scenario: {
        nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }, { name: 'w-2' }],
        deployments: [{ name: 'web', replicas: 3, pdb: { minAvailable: 2 } }],
      },
      nodeSource: (name) => reports.get(name),
    });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());
  const node = (name: string) => sim.get('nodes', undefined, name) as Node;

  it('takes kubelet versions from the source, and /version from the server', async () => {
    const n = await c.core.readNode({ name: 'w-1' });
    expect(n.status?.nodeInfo?.kubeletVersion).toBe('v1.30.8+k3s1');
    expect(n.metadata?.labels?.['node-role.kubernetes.io/control-plane']).toBeUndefined();
    const s = await c.core.readNode({ name: 's-1' });
    expect(s.metadata?.labels).toMatchObject({
      'node-role.kubernetes.io/control-plane': 'true',
      'node-role.kubernetes.io/master': 'true',
      'node-role.kubernetes.io/etcd': 'true',
    });
    expect((await c.version.getCode()).gitVersion).toBe('v1.30.8+k3s1');
    reports.set('s-1', { ready: true, kubeletVersion: 'v1.31.4+k3s1' });
    await sim.waitFor(() => node('s-1').status.nodeInfo?.kubeletVersion === 'v1.31.4+k3s1', 5000, 'server upgraded');
    expect((await c.version.getCode()).gitVersion).toBe('v1.31.4+k3s1');
  });

  it('marks a silent node Unknown with unreachable NoSchedule and NoExecute taints, and its pods unready', async () => {
    reports.set('w-1', undefined);
    const n = await sim.waitFor(() => ready(node('w-1'))?.status === 'Unknown' && node('w-1'), 5000, 'w-1 unknown');
    expect(ready(n)).toMatchObject({ reason: 'NodeStatusUnknown', message: 'Kubelet stopped posting node status.' });
    expect(taintKeys(n)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    expect(n.spec.taints!.find((t: Taint) => t.effect === 'NoExecute')!.timeAdded).toMatch(/Z$/);
    const onW1 = sim.list('pods', 'default').filter((p) => p.spec.nodeName === 'w-1');
    expect(onW1).toHaveLength(1);
    await sim.waitFor(
      () =>
        onW1.every(
          (p) =>
            sim
              .get('pods', 'default', p.metadata.name!)
              ?.status.conditions.find((x: { type: string }) => x.type === 'Ready').status === 'False',
        ),
      5000,
      'pods unready',
    );
    // Through client-node, as a module would see it.
    const seen = await c.core.readNode({ name: 'w-1' });
    expect(seen.spec?.taints?.map((t) => t.key)).toEqual([
      'node.kubernetes.io/unreachable',
      'node.kubernetes.io/unreachable',
    ]);
  });

  it('keeps a pod being deleted on a silent node Terminating until its kubelet is back', async () => {
    const pod = sim.list('pods', 'default').find((p) => p.spec.nodeName === 'w-1')!;
    await c.core.deleteNamespacedPod({ name: pod.metadata.name!, namespace: 'default', gracePeriodSeconds: 1 });
    // Several controller passes later it is still there: nothing stops its containers.
    for (let i = 0; i < 5; i++) sim.reconcile();
    expect(sim.get('pods', 'default', pod.metadata.name!)?.metadata.deletionTimestamp).toBeTruthy();
    reports.set('w-1', { ready: true, kubeletVersion: 'v1.30.8+k3s1' });
    await sim.waitFor(
      () => sim.get('pods', 'default', pod.metadata.name!) === undefined,
      5000,
      'terminated after recovery',
    );
  });

  it('removes the taints when the node is Ready again', async () => {
    const n = await sim.waitFor(() => ready(node('w-1'))?.status === 'True' && node('w-1'), 5000, 'w-1 ready');
    expect(n.spec.taints).toBeUndefined();
    expect(ready(n)).toMatchObject({ reason: 'KubeletReady', message: 'kubelet is posting ready status' });
  });

  it('marks a node whose kubelet reports NotReady with not-ready taints', async () => {
    reports.set('w-2', { ready: false });
    const n = await sim.waitFor(() => ready(node('w-2'))?.status === 'False' && node('w-2'), 5000, 'w-2 not ready');
    expect(ready(n)?.reason).toBe('KubeletNotReady');
    expect(taintKeys(n)).toEqual(['node.kubernetes.io/not-ready:NoExecute', 'node.kubernetes.io/not-ready:NoSchedule']);
    reports.set('w-2', { ready: true });
    await sim.waitFor(
      () => ready(node('w-2'))?.status === 'True' && node('w-2').spec.taints === undefined,
      5000,
      'w-2 back',
    );
  });

  it('can leave a stale unreachable taint on a node that is Ready again, which a patch then removes for good', async () => {
    sim.keepUnreachableTaint('w-2');
    sim.releaseNode('w-2');
    reports.set('w-2', undefined);
    await sim.waitFor(() => ready(node('w-2'))?.status === 'Unknown', 5000, 'w-2 unknown');
    reports.set('w-2', { ready: true });
    const n = await sim.waitFor(() => ready(node('w-2'))?.status === 'True' && node('w-2'), 5000, 'w-2 ready');
    expect(taintKeys(n)).toEqual([
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/unreachable:NoSchedule',
    ]);
    // The scheduler keeps new pods away from it.
    sim.addPod({ name: 'probe', labels: { app: 'probe' } });
    const placed = await sim.waitFor(() => sim.get('pods', 'default', 'probe')?.spec.nodeName);
    expect(placed).not.toBe('w-2');
    // The recovery playbook's fix: remove the stale taints from the Ready node.
    await c.core.patchNode({ name: 'w-2', body: { spec: { taints: null } } }, mergePatch);
    for (let i = 0; i < 5; i++) sim.reconcile();
    expect(node('w-2').spec.taints).toBeUndefined();
    expect(ready(node('w-2'))?.status).toBe('True');
  });

  it('evicts pods from a NoExecute taint once their tolerationSeconds run out', async () => {
    sim.addPod({
      name: 'brief',
      node: 'w-1',
      tolerations: [
        { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
      ],
    });
    sim.addPod({
      name: 'stays',
      node: 'w-1',
      tolerations: [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }],
    });
    await sim.waitFor(
      () =>
        sim.get('pods', 'default', 'brief')?.status.phase === 'Running' &&
        sim.get('pods', 'default', 'stays')?.status.phase === 'Running',
    );
    sim.setNodeReady('w-1', false);
    await sim.waitFor(() => sim.get('pods', 'default', 'brief')?.metadata.deletionTimestamp, 5000, 'brief evicted');
    expect(sim.get('pods', 'default', 'stays')?.metadata.deletionTimestamp).toBeUndefined();
    expect(sim.kubelet('w-1')).toMatchObject({ reachable: false, manual: true });
    sim.setNodeReady('w-1', true);
    await sim.waitFor(() => ready(node('w-1'))?.status === 'True', 5000, 'w-1 ready again');
    sim.releaseNode('w-1');
  });
});

describe('kube-sim node source from commands and files', () => {
  let dir: string;
  let sim: KubeSim;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-nodes-'));
    const bin = join(dir, 'k3s');
    await writeFile(bin, '#!/bin/sh\necho "k3s version v1.31.4+k3s1 (abcdef12)"\necho "go version go1.22.9"\n');
    await chmod(bin, 0o755);
    await writeFile(join(dir, 'w-2.version'), 'v1.30.8+k3s1\n');
    await writeFile(join(dir, 'w-1.active'), '');
    await writeFile(join(dir, 'agent.state'), 'active\nrunning\n');
    sim = await startFast({
      scenario: {
        nodes: [
          { name: 's-1', role: 'server', versionCommand: [bin, '--version'] },
          { name: 'w-1', versionCommand: [bin, '--version'], readyCommand: ['test', '-e', join(dir, 'w-1.active')] },
          { name: 'w-2', versionFile: join(dir, 'w-2.version') },
          { name: 'w-3', kubeletVersion: 'v1.29.1+k3s1' },
          {
            name: 'w-4',
            versionCommand: [bin, '--version'],
            readyFiles: [join(dir, 'k3s.state'), join(dir, 'agent.state')],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  const node = (name: string) => sim.get('nodes', undefined, name) as Node;

  it('parses the k3s --version line', () => {
    expect(parseVersion('k3s version v1.31.4+k3s1 (abcdef12)\ngo version go1.22.8\n')).toBe('v1.31.4+k3s1');
    expect(parseVersion('nothing here')).toBeUndefined();
  });

  it('reads versions from the binary and from a file; a node without commands keeps its own', () => {
    expect(node('s-1').status.nodeInfo?.kubeletVersion).toBe('v1.31.4+k3s1');
    expect(node('w-1').status.nodeInfo?.kubeletVersion).toBe('v1.31.4+k3s1');
    expect(node('w-2').status.nodeInfo?.kubeletVersion).toBe('v1.30.8+k3s1');
    expect(node('w-3').status.nodeInfo?.kubeletVersion).toBe('v1.29.1+k3s1');
  });

  it('follows an upgrade of the binary, and treats an inactive service or a missing binary as down', async () => {
    await writeFile(join(dir, 'w-2.version'), 'k3s version v1.31.4+k3s1 (abcdef12)\n');
    await sim.waitFor(() => node('w-2').status.nodeInfo?.kubeletVersion === 'v1.31.4+k3s1', 5000, 'w-2 upgraded');
    await rm(join(dir, 'w-1.active'));
    await sim.waitFor(() => ready(node('w-1'))?.status === 'Unknown', 5000, 'w-1 down');
    await rm(join(dir, 'w-2.version'));
    await sim.waitFor(() => ready(node('w-2'))?.status === 'Unknown', 5000, 'w-2 down');
    await writeFile(join(dir, 'w-1.active'), '');
    await sim.waitFor(() => ready(node('w-1'))?.status === 'True', 5000, 'w-1 up');
    expect(ready(node('w-3'))?.status).toBe('True');
  });

  it("reads the fake units' state files: up while one says active (not inactive), down when none does", async () => {
    await sim.waitFor(() => ready(node('w-4'))?.status === 'True', 5000, 'w-4 up from the agent unit');
    await writeFile(join(dir, 'agent.state'), 'inactive\ndead\n');
    await sim.waitFor(() => ready(node('w-4'))?.status === 'Unknown', 5000, 'w-4 down: no unit active');
    await writeFile(join(dir, 'k3s.state'), 'active\nrunning\n');
    await sim.waitFor(() => ready(node('w-4'))?.status === 'True', 5000, 'w-4 up from the server unit');
  });

  it('runs the version command again when its program file is rewritten (the cache keys on the file)', async () => {
    const bin = join(dir, 'k3s');
    // Replaced as an installer replaces a binary (a new file renamed over it): writing into the
    // file while the simulator's poll runs it fails with ETXTBSY.
    await writeFile(`${bin}.new`, '#!/bin/sh\necho "k3s version v1.32.1+k3s1 (12345678)"\n', { mode: 0o755 });
    await rename(`${bin}.new`, bin);
    await sim.waitFor(() => node('s-1').status.nodeInfo?.kubeletVersion === 'v1.32.1+k3s1', 5000, 's-1 upgraded');
    await sim.waitFor(() => node('w-4').status.nodeInfo?.kubeletVersion === 'v1.32.1+k3s1', 5000, 'w-4 upgraded');
  });
});
