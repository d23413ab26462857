// workload_health's rules as tables over plain objects (kubectl drain's habit): DaemonSet
// coverage, pods stuck waiting, every workload pod on one node. And workloads_moved's verdicts.
import type { V1DaemonSet, V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { daemonSetGaps, gapText } from '../../modules/kube/health/daemonsets.js';
import { toleratesTaint } from '../../modules/kube/health/fit.js';
import { concentration, concentrationText } from '../../modules/kube/health/spread.js';
import { stuckPod, stuckText } from '../../modules/kube/health/stuck.js';
import { verdict, type WorkloadView } from '../../modules/kube/workloads/placement.js';

const node = (name: string, o: { ready?: boolean; cordoned?: boolean; taints?: V1Node['spec'] } = {}): V1Node => ({
  metadata: { name, labels: { 'kubernetes.io/hostname': name } },
  spec: { unschedulable: o.cordoned, ...(o.taints ?? {}) },
  status: { conditions: [{ type: 'Ready', status: o.ready === false ? 'False' : 'True' }] },
});

const owner = (kind: string, name: string, uid = `${name}-uid`) => [
  { apiVersion: 'apps/v1', kind, name, uid, controller: true },
];

const pod = (
  name: string,
  nodeName: string,
  o: { kind?: string; owner?: string; ready?: boolean; phase?: string; waiting?: string; ns?: string } = {},
): V1Pod => ({
  metadata: {
    name,
    namespace: o.ns ?? 'default',
    ...(o.kind ? { ownerReferences: owner(o.kind, o.owner ?? name.replace(/-[^-]+$/, '')) } : {}),
  },
  spec: { nodeName, containers: [{ name: 'c', image: 'x' }] },
  status: {
    phase: o.phase ?? 'Running',
    conditions: [{ type: 'Ready', status: o.ready === false || o.waiting ? 'False' : 'True' }],
    ...(o.waiting
      ? {
          containerStatuses: [
            {
              name: 'c',
              image: 'x',
              imageID: '',
              ready: false,
              restartCount: 3,
              state: { waiting: { reason: o.waiting, message: 'why' } },
            },
          ],
        }
      : {}),
  },
});

const ds = (name: string, ns = 'monitoring'): V1DaemonSet => ({
  metadata: { name, namespace: ns, uid: `${name}-uid` },
  spec: { selector: {}, template: { spec: { containers: [{ name: 'c', image: 'x' }] } } },
});

describe('DaemonSet coverage (seed 000: node-exporter on every node)', () => {
  const nodes = [node('pi-master'), node('pi-worker-1'), node('pi-worker-2')];
  it('names each node that takes pods without a Running pod of it, and the pod that is there', () => {
    const pods = [
      pod('node-exporter-a', 'pi-master', { kind: 'DaemonSet', owner: 'node-exporter' }),
      pod('node-exporter-f75w7', 'pi-worker-1', {
        kind: 'DaemonSet',
        owner: 'node-exporter',
        phase: 'Pending',
        waiting: 'CreateContainerConfigError',
      }),
    ];
    expect(daemonSetGaps([ds('node-exporter')], nodes, pods).map(gapText)).toEqual([
      'daemonset monitoring/node-exporter has no Running pod on pi-worker-1 (node-exporter-f75w7: Pending, CreateContainerConfigError)',
      'daemonset monitoring/node-exporter has no Running pod on pi-worker-2 (no pod there)',
    ]);
  });

  it('leaves out nodes that are NotReady or cordoned, and those whose taints the DaemonSet does not tolerate', () => {
    const sick = [
      node('down', { ready: false }),
      node('cordoned', { cordoned: true }),
      node('cp', { taints: { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }] } }),
    ];
    expect(daemonSetGaps([ds('node-exporter')], sick, [])).toEqual([]);
  });

  it('a pod of another DaemonSet of the same name elsewhere does not count', () => {
    const pods = [pod('x-a', 'pi-master', { kind: 'DaemonSet', owner: 'node-exporter', ns: 'other' })];
    pods[0].metadata!.ownerReferences![0].uid = 'another-uid';
    expect(daemonSetGaps([ds('node-exporter')], [node('pi-master')], pods)).toHaveLength(1);
  });
});

describe('tolerations', () => {
  const taint = { key: 'k', value: 'v', effect: 'NoSchedule' };
  it.each([
    [{ key: 'k', operator: 'Exists' }, true],
    [{ key: 'k', operator: 'Equal', value: 'v' }, true],
    [{ key: 'k', operator: 'Equal', value: 'w' }, false],
    [{ key: 'k', operator: 'Exists', effect: 'NoExecute' }, false],
    [{ operator: 'Exists' }, true],
    [{ key: 'other', operator: 'Exists' }, false],
  ])('%j tolerates k=v:NoSchedule: %s', (t, want) => expect(toleratesTaint(t, taint)).toBe(want));
});

describe('pods stuck waiting, by name', () => {
  it.each([
    ['CrashLoopBackOff', 'Running'],
    ['CreateContainerConfigError', 'Pending'],
    ['ImagePullBackOff', 'Pending'],
  ])('%s is stuck', (reason, phase) => {
    const s = stuckPod(pod('web-1', 'w-1', { kind: 'ReplicaSet', phase, waiting: reason }));
    expect(stuckText(s!)).toBe(`pod default/web-1 on w-1 is in ${reason} (container c, 3 restarts: why)`);
  });

  it('ContainerCreating and a running pod are not', () => {
    expect(stuckPod(pod('web-1', 'w-1', { phase: 'Pending', waiting: 'ContainerCreating' }))).toBeUndefined();
    expect(stuckPod(pod('web-1', 'w-1'))).toBeUndefined();
  });
});

describe('every workload pod on one node (seed 000: "all pods on master")', () => {
  const nodes = [node('pi-master'), node('pi-worker-1'), node('pi-worker-2', { cordoned: true })];
  const on = (n: string, i: number) => pod(`app${i}-x`, n, { kind: 'ReplicaSet', owner: `app${i}` });

  it('is reported with the idle nodes that are Ready and schedulable', () => {
    const c = concentration(nodes, [on('pi-master', 1), on('pi-master', 2), on('pi-master', 3)]);
    expect(concentrationText(c!)).toMatch(
      /^every workload pod \(3\) runs on pi-master while pi-worker-1 is Ready and schedulable/,
    );
  });

  it.each([
    ['spread', [on('pi-master', 1), on('pi-worker-1', 2)], nodes],
    ['one pod', [on('pi-master', 1)], nodes],
    [
      'no other node takes pods',
      [on('pi-master', 1), on('pi-master', 2)],
      [node('pi-master'), node('w', { ready: false })],
    ],
    [
      'DaemonSet pods do not count',
      [on('pi-master', 1), pod('ds-a', 'pi-worker-1', { kind: 'DaemonSet', owner: 'ds' })],
      nodes,
    ],
  ])('is not reported: %s', (_what, pods, ns) => {
    expect(concentration(ns, pods)).toBeUndefined();
  });
});

describe('workloads_moved verdicts', () => {
  const w = (pods: WorkloadView['pods'], desired: number | null = 2): WorkloadView => ({
    id: 'Deployment/default/web',
    kind: 'Deployment',
    namespace: 'default',
    name: 'web',
    exists: true,
    ...(desired === null ? {} : { desired }),
    pods,
  });
  const p = (name: string, node: string | undefined, phase = 'Running', ready = true, extra = {}) => ({
    name,
    ...(node ? { node } : {}),
    phase,
    ready,
    terminating: false,
    ...extra,
  });

  it('moved: as many Running and Ready elsewhere as wanted, none left on the node', () => {
    expect(verdict(w([p('web-a', 'a-2'), p('web-b', 's-1')]), 'a-1')).toEqual({
      moved: true,
      text: 'deployment default/web: 2 of 2 pods Running and Ready on a-2, s-1',
    });
  });

  it('not moved: names the pod still on the node and the one that cannot be scheduled', () => {
    const v = verdict(
      w([
        p('web-a', 'a-1', 'Running', true, { terminating: true }),
        p('web-b', 'a-2'),
        p('web-c', undefined, 'Pending', false, { reason: 'Unschedulable: 0/3 nodes are available' }),
      ]),
      'a-1',
    );
    expect(v).toEqual({
      moved: false,
      text: 'deployment default/web: 1 of 2 pods Running and Ready off a-1; web-a still on a-1 (terminating); web-c Pending (Unschedulable: 0/3 nodes are available)',
    });
  });

  it('a kind without replicas (a Job) has moved when its pods elsewhere run or finished', () => {
    const job = { ...w([p('j-a', 'a-2', 'Succeeded', false)], null), kind: 'Job', id: 'Job/default/j', name: 'j' };
    expect(verdict(job, 'a-1').moved).toBe(true);
  });

  it('a workload deleted meanwhile has nothing left to move', () => {
    expect(verdict({ ...w([]), exists: false }, 'a-1')).toEqual({
      moved: true,
      text: 'deployment default/web no longer exists',
    });
  });
});
