// Which PersistentVolumeClaims that are not Bound are a problem. A claim of a
// WaitForFirstConsumer class (k3s's default local-path is one) stays Pending until a pod that
// uses it is scheduled: on a real cluster an unused claim of that class is normal, not a fault.
import type { V1PersistentVolumeClaim, V1Pod, V1StorageClass } from '@kubernetes/client-node';

export type UnboundClaim = {
  namespace: string;
  name: string;
  phase: string;
  storage_class?: string;
  waiting_for_consumer?: boolean;
};

const DEFAULT_CLASS = 'storageclass.kubernetes.io/is-default-class';

/** The class a claim gets: its own, or the cluster's default when it names none. */
function classOf(c: V1PersistentVolumeClaim, classes: V1StorageClass[]): V1StorageClass | undefined {
  const name = c.spec?.storageClassName;
  if (name !== undefined && name !== null) return classes.find((k) => k.metadata?.name === name);
  return classes.find((k) => k.metadata?.annotations?.[DEFAULT_CLASS] === 'true');
}

/** Claims not Bound; `classes` undefined when they could not be read (then every Pending claim counts). */
export function unboundClaims(
  pvcs: V1PersistentVolumeClaim[],
  pods: V1Pod[],
  classes: V1StorageClass[] | undefined,
): UnboundClaim[] {
  const used = new Set(
    pods
      .filter((p) => p.status?.phase !== 'Succeeded' && p.status?.phase !== 'Failed')
      .flatMap((p) =>
        (p.spec?.volumes ?? []).flatMap((v) =>
          v.persistentVolumeClaim ? [`${p.metadata?.namespace}/${v.persistentVolumeClaim.claimName}`] : [],
        ),
      ),
  );
  return pvcs
    .filter((c) => c.status?.phase !== 'Bound')
    .map((c) => {
      const namespace = c.metadata?.namespace ?? '';
      const name = c.metadata?.name ?? '';
      const phase = c.status?.phase ?? 'Unknown';
      const cls = classes ? classOf(c, classes) : undefined;
      const waiting =
        phase === 'Pending' && cls?.volumeBindingMode === 'WaitForFirstConsumer' && !used.has(`${namespace}/${name}`);
      return {
        namespace,
        name,
        phase,
        ...(cls?.metadata?.name ? { storage_class: cls.metadata.name } : {}),
        ...(waiting ? { waiting_for_consumer: true } : {}),
      };
    });
}
