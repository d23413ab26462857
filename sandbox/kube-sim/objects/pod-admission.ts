// The admission plugins every pod passes on create, after its managedFields are recorded
// (so nobody owns what they add; transcript 21): ServiceAccount (serviceAccountName and the
// projected token volume, plugin/pkg/admission/serviceaccount: TokenVolumeSource),
// DefaultTolerationSeconds, and Priority (priority 0, PreemptLowerPriority).
import type { Pod, Toleration } from '../types.js';
import { randomSuffix } from './meta.js';

export type PodAdmission = {
  /**
   * ConfigMaps the token volume projects besides kube-root-ca.crt. Upstream adds none; the
   * server the transcripts were recorded on added openshift-service-ca.crt (transcript 21).
   */
  extraCaConfigMaps?: Array<{ name: string; key: string; path: string }>;
};

const TOKEN_MOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';

const DEFAULT_TOLERATIONS: Toleration[] = [
  { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

function tokenVolume(name: string, admission: PodAdmission) {
  const sources: object[] = [
    { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
    { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
    {
      downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] },
    },
    ...(admission.extraCaConfigMaps ?? []).map((c) => ({
      configMap: { name: c.name, items: [{ key: c.key, path: c.path }] },
    })),
  ];
  return { name, projected: { sources, defaultMode: 420 } };
}

export function admitPod(pod: Pod, admission: PodAdmission): void {
  const spec = pod.spec;
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  const mounted = (c: Record<string, unknown>) =>
    ((c.volumeMounts ?? []) as Array<{ mountPath: string }>).some((m) => m.mountPath === TOKEN_MOUNT);
  const containers = [
    ...((spec.initContainers as Pod['spec']['containers'] | undefined) ?? []),
    ...(spec.containers ?? []),
  ];
  if (spec.automountServiceAccountToken !== false && containers.some((c) => !mounted(c))) {
    const name = `kube-api-access-${randomSuffix()}`;
    spec.volumes = [...(spec.volumes ?? []), tokenVolume(name, admission)];
    for (const c of containers)
      if (!mounted(c))
        c.volumeMounts = [
          ...((c.volumeMounts as object[] | undefined) ?? []),
          { name, readOnly: true, mountPath: TOKEN_MOUNT },
        ];
  }
  const tolerations = (spec.tolerations ??= []);
  for (const t of DEFAULT_TOLERATIONS) {
    if (!tolerations.some((x) => x.key === t.key && (x.effect ?? '') === t.effect)) tolerations.push({ ...t });
  }
  spec.priority ??= 0;
  spec.preemptionPolicy ??= 'PreemptLowerPriority';
}
