// One task over a batch's hosts: at most --forks at once, run_once, events for each host,
// and the results written back into each host's state (register, facts, notify, failures).
import { setGathered } from './host-facts.js';
import pLimit from 'p-limit';
import type { TaskDef } from '../load/model.js';
import type { HostState, RunContext } from './context.js';
import { flag, type Chain } from './keywords.js';
import { taskScope, type PlayFrame } from './scope.js';
import { located, runTaskOnHost } from './task-host.js';
import { rememberNoLogOutput, resultDetail } from './task-events.js';
import { registeredValue, type HostResult } from './task-result.js';

/** A task without a name shows its module and, for free-form ones, the command. */
function untitled(task: TaskDef): string {
  const a = task.args;
  const o = a && typeof a === 'object' ? (a as { cmd?: unknown; _raw_params?: unknown }) : undefined;
  const text =
    typeof a === 'string'
      ? a
      : typeof o?.cmd === 'string'
        ? o.cmd
        : typeof o?._raw_params === 'string'
          ? o._raw_params
          : undefined;
  if (!text) return task.module;
  const one = text.replace(/\s+/g, ' ').trim();
  return `${task.module}: ${one.length > 60 ? one.slice(0, 57) + '...' : one}`;
}

/** The name shown for a task; templates see the blocks' and includes' vars (an include's loop item). */
export function taskTitle(
  ctx: RunContext,
  frame: PlayFrame,
  task: TaskDef,
  host: string | undefined,
  chain: Chain['nodes'] = [],
): string {
  if (!task.name) return untitled(task);
  if (!task.name.includes('{{') || !host) return task.name;
  try {
    return String(ctx.deps.templater.render(task.name, taskScope(ctx, frame, host, chain, undefined)));
  } catch {
    return task.name;
  }
}

export type TaskRun = { results: Map<string, HostResult>; title: string };

export async function runTaskOnHosts(
  ctx: RunContext,
  frame: PlayFrame,
  chain: Chain,
  task: TaskDef,
  hosts: string[],
  opts: { handler?: boolean } = {},
): Promise<TaskRun> {
  const where = `${task.pos.file}:${task.pos.line}`;
  const title = taskTitle(ctx, frame, task, hosts[0], chain.nodes);
  const reporter = ctx.deps.reporter;
  const play = frame.play.name;
  const results = new Map<string, HostResult>();
  if (!hosts.length) return { results, title };
  const t = ctx.deps.templater;
  const probe = taskScope(ctx, frame, hosts[0], chain.nodes, undefined);
  let runOnce = false;
  let noLog = false;
  let keywordError: string | undefined;
  try {
    runOnce = flag(t, chain, 'runOnce', probe) ?? false;
    noLog = flag(t, chain, 'noLog', probe) ?? false;
  } catch (e) {
    // run_once or no_log that is no true/false: the task fails on every host, at the keyword's line.
    keywordError = located(e, task.pos);
  }
  const runHosts = runOnce ? hosts.slice(0, 1) : hosts;
  reporter.emit({
    type: 'task_start',
    play,
    task: title,
    batch: frame.batchIndex + 1,
    hosts: runHosts,
    where,
    ...(opts.handler ? { handler: true } : {}),
  });
  const limit = pLimit(ctx.options.forks ?? Math.min(Math.max(runHosts.length, 1), 50));
  await Promise.all(
    runHosts.map((host) =>
      limit(async () => {
        if (ctx.state.interrupted) return;
        const started = ctx.deps.clock.now();
        // A no_log task's progress and warnings may carry its secrets too: not shown.
        const r: HostResult = keywordError
          ? { status: 'failed', msg: keywordError, data: {} }
          : await runTaskOnHost(ctx, frame, chain, task, host, {
              progress: (msg) => noLog || reporter.emit({ type: 'task_progress', play, task: title, host, msg }),
              warn: (msg) => noLog || reporter.emit({ type: 'warning', msg, host, task: title }),
              log: () => undefined,
            });
        if (noLog) rememberNoLogOutput(ctx.state.secrets, r);
        if (r.status === 'failed' || r.status === 'unreachable') {
          const scope = taskScope(ctx, frame, host, chain.nodes, undefined);
          try {
            if (flag(t, chain, r.status === 'failed' ? 'ignoreErrors' : 'ignoreUnreachable', scope) ?? false)
              r.ignored = true;
          } catch (e) {
            // An ignore_errors that is no true/false ignores nothing, and says why.
            r.msg = `${r.msg ? `${r.msg}; ` : ''}${located(e, task.pos)}`;
          }
        }
        results.set(host, r);
        if (quietMeta(task, r)) return;
        reporter.emit({
          type: 'task_result',
          play,
          task: title,
          host,
          status: r.status,
          batch: frame.batchIndex + 1,
          duration_ms: Math.round(ctx.deps.clock.now() - started),
          where,
          ...resultDetail(ctx, r, noLog),
          ...(r.ignored ? { ignored: true } : {}),
          ...(r.status === 'failed' && r.changed ? { changed: true } : {}),
          ...(task.register && !noLog ? { registered: registeredValue(r) } : {}),
          ...(opts.handler ? { handler: true } : {}),
          ...(r.delegatedTo ? { delegated_to: r.delegatedTo } : {}),
        });
      }),
    ),
  );
  const first = runOnce ? results.get(hosts[0]) : undefined;
  for (const host of hosts) {
    const r = first ?? results.get(host);
    if (!r) continue;
    if (first && host !== hosts[0]) results.set(host, first);
    applyResult(ctx, ctx.state.hosts.get(host)!, task, r, host === hosts[0] || !first, notifyOf(chain, task));
  }
  return { results, title };
}

/** As Ansible: a meta task that acted reports no result (a skipped or failed one does). */
function quietMeta(task: TaskDef, r: HostResult): boolean {
  return task.module === 'meta' && (r.status === 'ok' || r.status === 'changed');
}

/** As Ansible: a meta task counts in the recap only when it failed. */
function uncountedMeta(task: TaskDef, r: HostResult): boolean {
  return task.module === 'meta' && r.status !== 'failed' && r.status !== 'unreachable';
}

/** A task notifies its own handlers and those of the blocks around it. */
function notifyOf(chain: Chain, task: TaskDef): string[] {
  return [...chain.nodes.flatMap((n) => (n.kind === 'block' ? (n.notify ?? []) : [])), ...task.notify];
}

export function applyResult(
  ctx: RunContext,
  hs: HostState,
  task: TaskDef,
  r: HostResult,
  count: boolean,
  notify: string[],
): void {
  if (task.register) hs.facts[task.register] = registeredValue(r);
  if (r.facts && r.status !== 'failed') Object.assign(hs.facts, r.facts);
  if (r.gathered && Object.keys(r.gathered).length && r.status !== 'failed') setGathered(hs, r.gathered);
  if (r.status === 'changed') notify.forEach((n) => hs.notified.add(n));
  if ((r.status === 'changed' || r.status === 'unknown') && ctx.options.check) ctx.state.changesPending = true;
  if (count && !uncountedMeta(task, r)) {
    if (r.ignored) hs.counts.ignored++;
    else hs.counts[r.status]++;
  }
  if (r.ignored) return;
  if (r.status === 'failed') hs.failed = true;
  if (r.status === 'unreachable') hs.unreachable = true;
}
