// One pass of every kubelet over the pods: list them all once, and for each pod bound to a
// played node send what its kubelet would (podAction decides). Pods waiting for a claim are
// not bound yet, so the local-path provisioner runs while any pod is unbound.
import { strategicMerge, tolerant, type ApiClients } from './clients.js';
import type { Health } from './kubelet-node.js';
import { podAction, type NodeFacts } from './kubelet-pods.js';
import { provisionLocalPath } from './local-path.js';

export type PlayedNode = { health: Health | undefined; facts: NodeFacts };

export async function syncPods(
  api: ApiClients,
  nodeOf: (name: string) => PlayedNode | undefined,
  wakeAt: (ms: number) => void,
): Promise<void> {
  const pods = (await api.core.listPodForAllNamespaces()).items;
  if (pods.some((p) => !p.spec?.nodeName && !p.metadata?.deletionTimestamp)) await provisionLocalPath(api);
  await Promise.all(
    pods.map(async (pod) => {
      const node = pod.spec?.nodeName ? nodeOf(pod.spec.nodeName) : undefined;
      const action = node && podAction(pod, node.health, node.facts);
      if (!action) return;
      const { name, namespace, uid } = pod.metadata as { name: string; namespace: string; uid: string };
      if (action.kind === 'finish') {
        // As the kubelet: grace 0, only this pod (not one recreated with its name). In the body:
        // with a body, kube-apiserver ignores the gracePeriodSeconds query parameter.
        await tolerant(
          api.core.deleteNamespacedPod({ name, namespace, body: { gracePeriodSeconds: 0, preconditions: { uid } } }),
        );
        return;
      }
      if (action.kind === 'terminating') wakeAt(action.atMs);
      if (action.patch)
        await tolerant(api.core.patchNamespacedPodStatus({ name, namespace, body: action.patch }, strategicMerge()));
    }),
  );
}
