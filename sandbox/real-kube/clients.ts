// client-node clients for one identity of the control plane (the admin, the fake kubelets),
// built from the same kubeconfig text a user would get.
import * as k8s from '@kubernetes/client-node';
import { reuseConnections } from '../../engine/kube/keep-alive.js';

export type ApiClients = ReturnType<typeof apiClients>;

export function apiClients(kubeconfig: string) {
  const kc = new k8s.KubeConfig();
  kc.loadFromString(kubeconfig);
  reuseConnections(kc);
  return {
    kc,
    core: kc.makeApiClient(k8s.CoreV1Api),
    apps: kc.makeApiClient(k8s.AppsV1Api),
    policy: kc.makeApiClient(k8s.PolicyV1Api),
    coordination: kc.makeApiClient(k8s.CoordinationV1Api),
    rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
    storage: kc.makeApiClient(k8s.StorageV1Api),
    watch: new k8s.Watch(kc),
  };
}

export const strategicMerge = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch);
export const mergePatch = () => k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch);

/** The HTTP status of a failed client-node call (undefined for a network error). */
export function statusOf(e: unknown): number | undefined {
  return e instanceof k8s.ApiException ? e.code : undefined;
}

/** Runs a write that may lose a race with a controller or another kubelet pass: 404 and 409 are fine. */
export async function tolerant(p: Promise<unknown>): Promise<void> {
  try {
    await p;
  } catch (e) {
    const code = statusOf(e);
    if (code !== 404 && code !== 409) throw e;
  }
}
