// `herdbook list-tasks`: every task with its tags and file:line, blocks and roles indented.
import type { TaskNode } from '../load/model.js';
import { displayPath } from '../report/diagnostics.js';
import type { CommandIO } from './io.js';
import { loadInput, type InputOptions } from './load-input.js';
import { openVaultSession, withVaultSession } from './vault-options.js';

function label(n: TaskNode): string {
  if (n.kind === 'task') return n.name ?? `${n.module}`;
  if (n.kind === 'include') return n.name ?? `include_tasks: ${n.file}`;
  return n.name ?? 'block';
}

function lines(nodes: readonly TaskNode[], depth: number, inherited: string[], out: string[]): void {
  for (const n of nodes) {
    const tags = [...new Set([...inherited, ...n.tags])];
    const where = `${displayPath(n.pos.file)}:${n.pos.line}`;
    out.push(`${'  '.repeat(depth)}${label(n)}\tTAGS: [${tags.join(', ')}]\t${where}`);
    if (n.kind === 'block') {
      lines(n.block, depth + 1, tags, out);
      if (n.rescue.length) {
        out.push(`${'  '.repeat(depth + 1)}rescue:`);
        lines(n.rescue, depth + 2, tags, out);
      }
      if (n.always.length) {
        out.push(`${'  '.repeat(depth + 1)}always:`);
        lines(n.always, depth + 2, tags, out);
      }
    } else if (n.kind === 'include' && n.preloaded) lines(n.preloaded, depth + 1, tags, out);
  }
}

export async function listTasksCommand(playbooks: string[], opts: InputOptions, io: CommandIO): Promise<number> {
  // Tasks need no secrets: inline !vault values stay sealed without a password (see validate).
  return withVaultSession(await openVaultSession(opts, 'given'), () => listTasks(playbooks, opts, io));
}

function listTasks(playbooks: string[], opts: InputOptions, io: CommandIO): number {
  const v = loadInput(playbooks, opts, io);
  for (const pb of v.playbooks) {
    io.out(`playbook: ${displayPath(pb.file)}`);
    pb.plays.forEach((play, i) => {
      io.out(`\n  play #${i + 1} (${[play.hosts].flat().join(',')}): ${play.name}\tTAGS: [${play.tags.join(', ')}]`);
      for (const [title, section] of [
        ['pre_tasks', play.preTasks],
        ['tasks', play.tasks],
        ['post_tasks', play.postTasks],
        ['handlers', play.handlers],
      ] as const) {
        if (!section.length) continue;
        const out: string[] = [];
        lines(section, 3, play.tags, out);
        io.out(`    ${title}:\n${out.join('\n')}`);
      }
    });
  }
  return 0;
}
