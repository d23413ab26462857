// Binds pending pods to a node, or marks them Unschedulable with the scheduler's message.
import { rfc3339 } from '../clock.js';
import { setCondition } from '../objects/pod.js';
import { copy, nodes, pods, type ControllerEnv } from './env.js';
import { pickNode, unschedulableMessage } from './scheduling.js';

export function scheduler(env: ControllerEnv): void {
  const now = rfc3339(env.now());
  const allNodes = nodes(env);
  // Bindings made in this pass count for the next pod's spread.
  const placed = [...pods(env)];
  for (const [i, stored] of placed.entries()) {
    if (stored.spec.nodeName || stored.metadata.deletionTimestamp || stored.status?.phase !== 'Pending') continue;
    const pod = copy(stored);
    const node = pickNode(pod, allNodes, placed);
    const conditions = pod.status.conditions ?? [];
    if (node) {
      pod.spec.nodeName = node.metadata.name;
      pod.status.conditions = setCondition(
        conditions,
        { type: 'PodScheduled', status: 'True', lastProbeTime: null },
        now,
      );
      delete pod.status.conditions.find((c) => c.type === 'PodScheduled')!.reason;
      delete pod.status.conditions.find((c) => c.type === 'PodScheduled')!.message;
    } else {
      pod.status.conditions = setCondition(
        conditions,
        {
          type: 'PodScheduled',
          status: 'False',
          reason: 'Unschedulable',
          message: unschedulableMessage(pod, allNodes),
          lastProbeTime: null,
        },
        now,
      );
    }
    env.store.save('pods', pod);
    placed[i] = pod;
  }
}
