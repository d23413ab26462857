// The taint manager: pods on a node with a NoExecute taint they do not tolerate are
// deleted; a toleration with tolerationSeconds only delays that (300 s by default for
// not-ready and unreachable, added to every pod at admission).
import { gracefulDelete } from '../api/pods.js';
import { rfc3339 } from '../clock.js';
import { withDisruptionTarget } from '../objects/pod.js';
import type { Pod } from '../types.js';
import { KCM, saveAs } from './save-as.js';
import { dueAt, nodes, pods, type ControllerEnv } from './env.js';

export function taintEviction(env: ControllerEnv): void {
  const nowMs = env.now();
  const seen = env.runtime.taintSeen;
  const current = new Set<string>();
  const noExecute = new Map<string, Array<{ key: string; value?: string; since: number }>>();
  for (const node of nodes(env)) {
    const list: Array<{ key: string; value?: string; since: number }> = [];
    for (const t of node.spec.taints ?? []) {
      if (t.effect !== 'NoExecute') continue;
      const id = `${node.metadata.name}/${t.key}`;
      current.add(id);
      if (!seen.has(id)) seen.set(id, nowMs);
      list.push({ key: t.key, value: t.value, since: seen.get(id)! });
    }
    noExecute.set(node.metadata.name!, list);
  }
  for (const id of seen.keys()) if (!current.has(id)) seen.delete(id);

  for (const pod of pods(env)) {
    const taints = noExecute.get(pod.spec.nodeName ?? '') ?? [];
    if (!taints.length || pod.metadata.deletionTimestamp) continue;
    let deadline = Infinity;
    for (const t of taints) {
      const tol = (pod.spec.tolerations ?? []).find(
        (x) =>
          (!x.effect || x.effect === 'NoExecute') &&
          (x.key
            ? x.key === t.key && (x.operator === 'Exists' || (x.value ?? '') === (t.value ?? ''))
            : x.operator === 'Exists'),
      );
      if (!tol) deadline = Math.min(deadline, t.since);
      else if (tol.tolerationSeconds !== undefined)
        deadline = Math.min(deadline, t.since + Math.max(0, tol.tolerationSeconds) * env.timings.secondMs);
    }
    if (nowMs < deadline) {
      if (deadline !== Infinity) dueAt(env, deadline);
      continue;
    }
    // addConditionAndDeletePod: the DisruptionTarget condition, patched to pods/status, then the delete (transcript 21).
    const marked = withDisruptionTarget(
      pod,
      'DeletionByTaintManager',
      'Taint manager: deleting due to NoExecute taint',
      rfc3339(nowMs),
    );
    saveAs(env, 'Pod', pod, marked, KCM, 'status');
    gracefulDelete(env.api, env.store.peek('pods', pod.metadata.namespace, pod.metadata.name!) as Pod, {
      dryRun: false,
    });
  }
}
