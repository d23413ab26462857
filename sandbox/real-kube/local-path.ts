// k3s's local-path provisioner, played: the `local-path` StorageClass (WaitForFirstConsumer,
// the default class) and, for each of its claims the scheduler chose a node for, a hostPath
// PersistentVolume pinned to that node. Without it a pod with a claim is never bound, and
// with it a drained node's claim-holding pod cannot move elsewhere, as on k3s.
import type { V1PersistentVolume, V1PersistentVolumeClaim, V1StorageClass } from '@kubernetes/client-node';
import { tolerant, type ApiClients } from './clients.js';

export const LOCAL_PATH = 'local-path';
const PROVISIONER = 'rancher.io/local-path';
export const SELECTED_NODE = 'volume.kubernetes.io/selected-node';

export function localPathStorageClass(): V1StorageClass {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: LOCAL_PATH, annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
    provisioner: PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
  };
}

/** The volume for a claim waiting on its selected node; undefined when there is nothing to do. */
export function volumeFor(pvc: V1PersistentVolumeClaim): V1PersistentVolume | undefined {
  const node = pvc.metadata?.annotations?.[SELECTED_NODE];
  if (!node || pvc.spec?.volumeName || pvc.spec?.storageClassName !== LOCAL_PATH || pvc.metadata?.deletionTimestamp)
    return undefined;
  const { name, namespace, uid } = pvc.metadata!;
  const pvName = `pvc-${uid}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: pvName,
      annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER, 'local.path.provisioner/selected-node': node },
    },
    spec: {
      capacity: { storage: pvc.spec?.resources?.requests?.storage ?? '1Gi' },
      accessModes: pvc.spec?.accessModes ?? ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: LOCAL_PATH,
      hostPath: { path: `/var/lib/rancher/k3s/storage/${pvName}_${namespace}_${name}`, type: 'DirectoryOrCreate' },
      nodeAffinity: {
        required: {
          nodeSelectorTerms: [
            { matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [node] }] },
          ],
        },
      },
      claimRef: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', namespace, name, uid },
    },
  };
}

/** Creates the volumes claims wait for; the persistent volume controller then binds them. */
export async function provisionLocalPath(api: ApiClients): Promise<void> {
  const claims = await api.core.listPersistentVolumeClaimForAllNamespaces();
  for (const pvc of claims.items) {
    const pv = volumeFor(pvc);
    if (pv) await tolerant(api.core.createPersistentVolume({ body: pv }));
  }
}
