// The TTL controller (pkg/controller/ttl): every node carries node.alpha.kubernetes.io/ttl, the
// seconds kubelets may cache objects; "0" while the cluster has at most 100 nodes (transcript 04).
import type { Node } from '../types.js';
import { copy, nodes, type ControllerEnv } from './env.js';
import { KCM, saveAs } from './save-as.js';

export const TTL_ANNOTATION = 'node.alpha.kubernetes.io/ttl';

// ttlBoundaries: (sizeMax, ttlSeconds) steps of the controller.
const STEPS: Array<[number, number]> = [
  [100, 0],
  [500, 15],
  [1000, 30],
  [2000, 60],
  [Infinity, 300],
];

export function ttl(env: ControllerEnv): void {
  const all = nodes(env);
  const want = String(STEPS.find(([max]) => all.length <= max)![1]);
  for (const node of all) {
    if (node.metadata.annotations?.[TTL_ANNOTATION] === want) continue;
    const next: Node = copy(node);
    next.metadata.annotations = { ...next.metadata.annotations, [TTL_ANNOTATION]: want };
    saveAs(env, 'Node', node, next, KCM);
  }
}
