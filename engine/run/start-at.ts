// --start-at-task: a name that no task has would run nothing and exit 0, so it is refused
// before the run (exit 5) when every task name is known up front.
import { UsageError } from '../errors.js';
import type { Playbook, TaskNode } from '../load/model.js';

type Known = { names: Set<string>; open: boolean };

function walk(nodes: readonly TaskNode[], k: Known): void {
  for (const n of nodes) {
    if (n.kind === 'task') {
      if (n.name) k.names.add(n.name);
      // A templated name may render to the one asked for: only the run can tell.
      if (n.name?.includes('{{')) k.open = true;
    } else if (n.kind === 'block') {
      walk(n.block, k);
      walk(n.rescue, k);
      walk(n.always, k);
    } else if (n.preloaded) walk(n.preloaded, k);
    else k.open = true;
  }
}

export function checkStartAtTask(playbooks: readonly Playbook[], name: string | undefined): void {
  if (name === undefined) return;
  const k: Known = { names: new Set(), open: false };
  for (const pb of playbooks) for (const p of pb.plays) for (const s of [p.preTasks, p.tasks, p.postTasks]) walk(s, k);
  if (k.open || k.names.has(name)) return;
  throw new UsageError(`--start-at-task '${name}': no task has this name; nothing was run`);
}
