// The DaemonSet controller: one pod on every node whose taints and labels allow it
// (cordoned or not), created bound to the node.
import { DAEMON_TOLERATIONS } from '../../../engine/kube/daemon-tolerations.js';
import { safeHash } from '../objects/meta.js';
import { isPodReady } from '../objects/pod.js';
import type { PodAdmission } from '../objects/pod-admission.js';
import type { Node, Pod, Workload } from '../types.js';
import { byController, nodes, pods, type ControllerEnv } from './env.js';
import { misfit, tolerates } from './scheduling.js';
import { active, podFromTemplate } from './workload-common.js';

function daemonPod(ds: Workload, node: Node, admission: PodAdmission): Pod {
  const tolerations = [...(ds.spec.template.spec.tolerations ?? [])];
  for (const t of DAEMON_TOLERATIONS)
    if (!tolerations.some((x) => x.key === t.key && x.effect === t.effect)) tolerations.push({ ...t });
  const hash = safeHash(JSON.stringify(ds.spec.template));
  return podFromTemplate(
    ds,
    admission,
    { nodeName: node.metadata.name, tolerations },
    { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
  );
}

/** A running daemon pod stays while its node has no NoExecute taint it does not tolerate (NotReady nodes included). */
function mayStay(pod: Pod, node: Node): boolean {
  const labels = node.metadata.labels ?? {};
  if (Object.entries(pod.spec.nodeSelector ?? {}).some(([k, v]) => labels[k] !== v)) return false;
  return (node.spec.taints ?? []).every((t) => t.effect !== 'NoExecute' || tolerates(pod.spec.tolerations, t));
}

export function daemonSets(env: ControllerEnv): void {
  const allNodes = nodes(env);
  const owners = byController(pods(env));
  for (const ds of env.store.scan('daemonsets.apps') as readonly Workload[]) {
    const owned = (owners.get(ds.metadata.uid!) ?? []).filter(active);
    let desired = 0;
    let misscheduled = 0;
    for (const node of allNodes) {
      const probe = daemonPod(ds, node, env.api.admission ?? {});
      // Cordon does not keep DaemonSet pods away; untolerated taints and selectors do.
      const fits = !misfit(probe, { ...node, spec: { ...node.spec, unschedulable: false } });
      const here = owned.filter((p) => p.spec.nodeName === node.metadata.name);
      if (fits || (here.length > 0 && here.every((p) => mayStay(p, node)))) desired++;
      else misscheduled += here.length;
      if (fits && here.length === 0) env.store.create('pods', probe);
    }
    const mine = owned;
    const ready = mine.filter(isPodReady).length;
    env.store.save('daemonsets.apps', {
      ...ds,
      status: {
        currentNumberScheduled: mine.length - misscheduled,
        desiredNumberScheduled: desired,
        numberAvailable: ready,
        numberMisscheduled: misscheduled,
        numberReady: ready,
        observedGeneration: ds.metadata.generation ?? 1,
        updatedNumberScheduled: mine.length,
      },
    });
  }
}
