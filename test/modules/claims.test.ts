// Which unbound claims are a problem: a WaitForFirstConsumer claim no pod uses is Pending on a
// real cluster (k3s's default local-path class is one), and that is normal.
import { describe, expect, it } from 'vitest';
import type { V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';
import { unboundClaims } from '../../modules/kube/claims.js';

const cls = (name: string, mode: string, isDefault = false): V1StorageClass => ({
  metadata: { name, ...(isDefault ? { annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } : {}) },
  provisioner: 'x',
  volumeBindingMode: mode,
});
const pvc = (name: string, phase: string, storageClassName?: string): V1PersistentVolumeClaim => ({
  metadata: { name, namespace: 'default' },
  spec: { ...(storageClassName !== undefined ? { storageClassName } : {}) },
  status: { phase },
});
const pod = (claim: string, phase = 'Pending'): V1Pod => ({
  metadata: { name: `uses-${claim}`, namespace: 'default' },
  spec: { containers: [], volumes: [{ name: 'v', persistentVolumeClaim: { claimName: claim } }] },
  status: { phase },
});

const classes = [cls('local-path', 'WaitForFirstConsumer', true), cls('nfs', 'Immediate')];

describe('unboundClaims', () => {
  const cases: [string, V1PersistentVolumeClaim, V1Pod[], V1StorageClass[] | undefined, boolean | undefined][] = [
    ['unused claim of the default WaitForFirstConsumer class: waiting', pvc('a', 'Pending'), [], classes, true],
    [
      'unused claim naming the WaitForFirstConsumer class: waiting',
      pvc('a', 'Pending', 'local-path'),
      [],
      classes,
      true,
    ],
    ['a pod uses it and it is still Pending: a problem', pvc('a', 'Pending'), [pod('a')], classes, undefined],
    ['only a finished pod used it: waiting again', pvc('a', 'Pending'), [pod('a', 'Succeeded')], classes, true],
    ['an Immediate class that has not bound: a problem', pvc('a', 'Pending', 'nfs'), [], classes, undefined],
    ['a class that does not exist: a problem', pvc('a', 'Pending', 'gone'), [], classes, undefined],
    ['classes unreadable (403): every Pending claim counts', pvc('a', 'Pending'), [], undefined, undefined],
    ['Lost is never waiting', pvc('a', 'Lost'), [], classes, undefined],
  ];
  it.each(cases)('%s', (_, c, pods, k, waiting) => {
    expect(unboundClaims([c], pods, k)[0].waiting_for_consumer).toBe(waiting);
  });

  it('leaves Bound claims out', () => {
    expect(unboundClaims([pvc('b', 'Bound')], [], classes)).toEqual([]);
  });
});
