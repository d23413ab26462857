// The run stage: plays in order, each playbook with its own directory and group_vars, then
// the recap with what stopped the run and which nodes were left cordoned.
import { setMaxListeners } from 'node:events';
import type { Inventory, VarsFiles } from '../inventory/model.js';
import { indexGroups } from '../inventory/groups.js';
import type { Playbook } from '../load/model.js';
import type { RunContext, RunDeps, RunOptions, RunState } from './context.js';
import { runPlay } from './play.js';
import { inventoryLevel } from './resolve-play.js';

export type RunOutcome = {
  failedHosts: string[];
  unreachableHosts: string[];
  interrupted: boolean;
  stopped?: string;
  changesPending: boolean;
};

/** `secrets`: values known secret before the run (decrypted vault values); the run adds to the same set. */
export function newRunState(options: RunOptions, secrets: Set<string> = new Set()): RunState {
  const abort = new AbortController();
  // Every running command and sleep listens for the abort (one per host at a time): no leak warning.
  setMaxListeners(0, abort.signal);
  return {
    hosts: new Map(),
    interrupted: false,
    abort,
    cordoned: new Map(),
    secrets,
    predictions: new Map(),
    startAt: options.startAtTask,
    changesPending: false,
  };
}

export async function runPlaybooks(
  playbooks: readonly Playbook[],
  inventory: Inventory,
  varsFiles: Map<string, VarsFiles>,
  options: RunOptions,
  deps: RunDeps,
  state: RunState = newRunState(options),
): Promise<RunOutcome> {
  const started = deps.clock.now();
  const groups = indexGroups(inventory);
  deps.reporter.emit({
    type: 'run_start',
    playbooks: playbooks.map((p) => p.file),
    check: options.check,
    diff: options.diff,
    time: new Date().toISOString(),
  });
  let index = 0;
  for (const pb of playbooks) {
    const ctx: RunContext = {
      options,
      deps,
      state,
      inventory,
      groups,
      playbookVarsFiles: varsFiles.get(pb.file),
      playbookDir: pb.dir,
      inventoryVarsCache: new Map(),
      level: inventoryLevel(inventory, groups, varsFiles.get(pb.file)),
    };
    for (const play of pb.plays) {
      if (state.interrupted || state.stopped) break;
      await runPlay(ctx, play, index++);
    }
  }
  // A templated task name never rendered to it: say so rather than end quietly with nothing done.
  if (state.startAt !== undefined)
    deps.reporter.emit({ type: 'warning', msg: `--start-at-task '${state.startAt}' matched no task: no task was run` });
  const hosts = [...state.hosts.values()];
  const stoppedReason = state.interrupted ? 'interrupted (Ctrl-C): no new task was started after it' : state.stopped;
  deps.reporter.emit({
    type: 'recap',
    hosts: Object.fromEntries(hosts.map((h) => [h.name, h.counts])),
    check: options.check,
    duration_ms: Math.round(deps.clock.now() - started),
    ...(stoppedReason ? { stopped_reason: stoppedReason } : {}),
    ...(state.cordoned.size ? { cordoned: [...state.cordoned].map(([node, reason]) => ({ node, reason })) } : {}),
    ...(options.check ? { changes_pending: state.changesPending } : {}),
  });
  return {
    failedHosts: hosts.filter((h) => h.failed).map((h) => h.name),
    unreachableHosts: hosts.filter((h) => h.unreachable).map((h) => h.name),
    interrupted: state.interrupted,
    stopped: state.stopped,
    changesPending: state.changesPending,
  };
}
