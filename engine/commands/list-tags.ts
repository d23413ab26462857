// `herdbook run --list-tags` (ansible-playbook's): each play's tags and, sorted, every tag its
// tasks carry (their own, their blocks', includes' and roles', and the play's), nothing run.
import type { TaskNode } from '../load/model.js';
import { displayPath } from '../report/diagnostics.js';
import type { CommandIO } from './io.js';
import { loadInput, type InputOptions } from './load-input.js';

function collect(nodes: readonly TaskNode[], into: Set<string>): void {
  for (const n of nodes) {
    for (const t of n.tags) into.add(t);
    if (n.kind === 'block') for (const s of [n.block, n.rescue, n.always]) collect(s, into);
    else if (n.kind === 'include' && n.preloaded) collect(n.preloaded, into);
  }
}

export async function listTagsCommand(playbooks: string[], opts: InputOptions, io: CommandIO): Promise<number> {
  const v = loadInput(playbooks, opts, io);
  for (const pb of v.playbooks) {
    io.out(`\nplaybook: ${displayPath(pb.file)}`);
    pb.plays.forEach((play, i) => {
      const tags = new Set(play.tags);
      for (const s of [play.preTasks, play.tasks, play.postTasks, play.handlers]) collect(s, tags);
      io.out(`\n  play #${i + 1} (${[play.hosts].flat().join(',')}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`);
      io.out(`      TASK TAGS: [${[...tags].sort().join(', ')}]`);
    });
  }
  return 0;
}
