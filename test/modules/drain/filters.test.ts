import { describe, expect, it } from 'vitest';
import { classify, errorText, verdict, warningText, type DrainOptions } from '../../../modules/kube/drain/filters.js';
import type { PodInfo } from '../../../modules/kube/drain/pods.js';

const base: PodInfo = {
  namespace: 'default',
  name: 'p',
  uid: 'u',
  labels: {},
  phase: 'Running',
  controller: { kind: 'ReplicaSet', name: 'web-1' },
  mirror: false,
  emptyDir: false,
};
const pod = (over: Partial<PodInfo>): PodInfo => ({ ...base, ...over });
const opts = (over: Partial<DrainOptions> = {}): DrainOptions => ({
  ignoreDaemonsets: false,
  deleteEmptydirData: false,
  force: false,
  skipWaitForDeleteTimeout: 0,
  ...over,
});

const ds = { controller: { kind: 'DaemonSet', name: 'svclb' }, daemonSetExists: true };

describe('drain filters (kubectl order and wording)', () => {
  const table: [string, Partial<PodInfo>, Partial<DrainOptions>, ReturnType<typeof verdict>][] = [
    ['ReplicaSet pod: delete', {}, {}, { delete: true }],
    [
      'DaemonSet pod without ignore: error',
      ds,
      {},
      { delete: false, error: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' },
    ],
    [
      'DaemonSet pod with ignore: skip with warning',
      ds,
      { ignoreDaemonsets: true },
      { delete: false, skip: true, warning: 'ignoring DaemonSet-managed Pods' },
    ],
    ['finished DaemonSet pod: delete', { ...ds, phase: 'Succeeded' }, {}, { delete: true }],
    [
      'orphaned DaemonSet pod: error without force',
      { controller: { kind: 'DaemonSet', name: 'gone' }, daemonSetExists: false },
      { ignoreDaemonsets: true },
      { delete: false, error: 'daemonsets.apps "gone" not found' },
    ],
    [
      'orphaned DaemonSet pod with force: delete with warning',
      { controller: { kind: 'DaemonSet', name: 'gone' }, daemonSetExists: false },
      { force: true },
      { delete: true, warning: 'daemonsets.apps "gone" not found' },
    ],
    [
      'mirror pod: skip silently',
      { mirror: true, controller: { kind: 'Node', name: 'w-1' } },
      {},
      { delete: false, skip: true },
    ],
    [
      'emptyDir without flag: error',
      { emptyDir: true },
      {},
      { delete: false, error: 'Pods with local storage (use --delete-emptydir-data to override)' },
    ],
    [
      'emptyDir with flag: delete with warning',
      { emptyDir: true },
      { deleteEmptydirData: true },
      { delete: true, warning: 'deleting Pods with local storage' },
    ],
    ['finished emptyDir pod: delete', { emptyDir: true, phase: 'Failed' }, {}, { delete: true }],
    [
      'bare pod without force: error',
      { controller: undefined },
      {},
      { delete: false, error: 'Pods that declare no controller (use --force to override)' },
    ],
    [
      'bare pod with force: delete with warning',
      { controller: undefined },
      { force: true },
      { delete: true, warning: 'deleting Pods that declare no controller' },
    ],
    ['finished bare pod: delete', { controller: undefined, phase: 'Succeeded' }, {}, { delete: true }],
    [
      'terminating longer than the skip timeout: skip',
      { deletingFor: 120 },
      { skipWaitForDeleteTimeout: 60 },
      { delete: false, skip: true },
    ],
    ['terminating, no skip timeout: delete (evict again)', { deletingFor: 120 }, {}, { delete: true }],
    [
      'DaemonSet wins over emptyDir (order)',
      { ...ds, emptyDir: true },
      {},
      { delete: false, error: 'DaemonSet-managed Pods (use --ignore-daemonsets to ignore)' },
    ],
    [
      'emptyDir error wins over bare-pod error (order)',
      { emptyDir: true, controller: undefined },
      {},
      { delete: false, error: 'Pods with local storage (use --delete-emptydir-data to override)' },
    ],
    [
      'bare emptyDir pod with both flags: the first warning is kept',
      { emptyDir: true, controller: undefined },
      { deleteEmptydirData: true, force: true },
      { delete: true, warning: 'deleting Pods with local storage' },
    ],
  ];
  it.each(table)('%s', (_name, p, o, expected) => {
    expect(verdict(pod(p), opts(o))).toEqual(expected);
  });

  it('groups errors and warnings by message, listing the pods like kubectl', () => {
    const c = classify(
      [
        pod({ name: 'web' }),
        pod({ name: 'svclb', ...ds, namespace: 'kube-system' }),
        pod({ name: 'cache', emptyDir: true }),
        pod({ name: 'bare', controller: undefined }),
        pod({ name: 'bare2', controller: undefined }),
      ],
      opts(),
    );
    expect(c.evict.map((p) => p.name)).toEqual(['web']);
    expect(errorText(c.errors)).toBe(
      'cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): kube-system/svclb, cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache, cannot delete Pods that declare no controller (use --force to override): default/bare, default/bare2',
    );
    const w = classify(
      [pod({ name: 'svclb', ...ds }), pod({ name: 'cache', emptyDir: true })],
      opts({ ignoreDaemonsets: true, deleteEmptydirData: true }),
    );
    expect(warningText(w.warnings)).toBe(
      'ignoring DaemonSet-managed Pods: default/svclb; deleting Pods with local storage: default/cache',
    );
    expect(w.skipped.map((s) => s.pod.name)).toEqual(['svclb']);
  });
});
