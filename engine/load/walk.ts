import type { Play, TaskDef, TaskNode } from './model.js';

export type Visit = (node: TaskNode, parents: readonly TaskNode[]) => void;

/** Every node under a list, depth first, in order (include_tasks' preloaded files too). */
export function walkTasks(nodes: readonly TaskNode[], visit: Visit, parents: TaskNode[] = []): void {
  for (const n of nodes) {
    visit(n, parents);
    parents.push(n);
    if (n.kind === 'block') {
      walkTasks(n.block, visit, parents);
      walkTasks(n.rescue, visit, parents);
      walkTasks(n.always, visit, parents);
    } else if (n.kind === 'include' && n.preloaded) walkTasks(n.preloaded, visit, parents);
    parents.pop();
  }
}

export function walkPlay(play: Play, visit: Visit): void {
  for (const section of [play.preTasks, play.tasks, play.postTasks, play.handlers as TaskNode[]])
    walkTasks(section, visit);
}

export function isTask(n: TaskNode): n is TaskDef {
  return n.kind === 'task';
}
