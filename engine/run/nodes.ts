// Task lists as plain recursion: tasks, blocks (rescue and always), include_tasks. No state
// machine: each node runs on the hosts still eligible, in order.
import { TemplateError } from '../errors.js';
import type { BlockDef, IncludeDef, TaskDef, TaskNode } from '../load/model.js';
import type { RunContext } from './context.js';
import { flushHandlers } from './handlers.js';
import { effectiveTags, flag, type Chain } from './keywords.js';
import { taskScope, type PlayFrame } from './scope.js';
import { selectedByTags } from './tags.js';
import { runTaskOnHosts, taskTitle } from './task-hosts.js';
import { asText } from '../text.js';
import { located } from './task-host.js';

export type BatchControl = {
  /** meta: end_batch / end_play, or a failure policy stop: no further node runs. */
  ended: boolean;
  endPlay: boolean;
};

type Eligibility = { allowFailed?: boolean };

export function eligibleHosts(ctx: RunContext, hosts: readonly string[], e: Eligibility = {}): string[] {
  return hosts.filter((h) => {
    const hs = ctx.state.hosts.get(h);
    return !!hs && !hs.unreachable && !hs.ended && (!hs.failed || e.allowFailed);
  });
}

export async function runNodes(
  ctx: RunContext,
  frame: PlayFrame,
  nodes: readonly TaskNode[],
  chain: Chain,
  hosts: readonly string[],
  control: BatchControl,
  e: Eligibility = {},
  afterEach?: () => void,
): Promise<void> {
  for (const node of nodes) {
    if (ctx.state.interrupted || ctx.state.stopped || control.ended) return;
    const eligible = eligibleHosts(ctx, hosts, e);
    if (!eligible.length) return;
    const sub: Chain = { play: chain.play, nodes: [...chain.nodes, node] };
    if (node.kind === 'task') await runTask(ctx, frame, node, sub, eligible, control);
    else if (node.kind === 'block') await runBlock(ctx, frame, node, sub, eligible, control, e);
    else await runInclude(ctx, frame, node, sub, eligible, control, e);
    afterEach?.();
  }
}

async function runTask(
  ctx: RunContext,
  frame: PlayFrame,
  task: TaskDef,
  chain: Chain,
  hosts: string[],
  control: BatchControl,
): Promise<void> {
  if (!selectedByTags(effectiveTags(chain), ctx.options.tags, ctx.options.skipTags)) return;
  if (ctx.state.startAt) {
    const title = taskTitle(ctx, frame, task, hosts[0], chain.nodes);
    if (title !== ctx.state.startAt && task.name !== ctx.state.startAt) return;
    ctx.state.startAt = undefined;
  }
  if (ctx.deps.step && !(await ctx.deps.step(taskTitle(ctx, frame, task, hosts[0], chain.nodes)))) return;
  const { results } = await runTaskOnHosts(ctx, frame, chain, task, hosts);
  await metaActions(ctx, frame, results, control);
  const fatal = [...results].filter(([, r]) => (r.status === 'failed' || r.status === 'unreachable') && !r.ignored);
  if (!fatal.length) return;
  let anyErrorsFatal: boolean;
  try {
    anyErrorsFatal =
      flag(ctx.deps.templater, chain, 'anyErrorsFatal', taskScope(ctx, frame, hosts[0], chain.nodes, undefined)) ??
      false;
  } catch (e) {
    // An any_errors_fatal that is no true/false stops the run there, at its line.
    ctx.state.stopped = located(e, task.pos);
    control.ended = true;
    control.endPlay = true;
    return;
  }
  if (anyErrorsFatal) {
    const failed = fatal.filter(([, r]) => r.status === 'failed').map(([h]) => h);
    const unreachable = fatal.filter(([, r]) => r.status === 'unreachable').map(([h]) => h);
    const who = [
      failed.length ? `${failed.join(', ')} failed` : '',
      unreachable.length ? `${unreachable.join(', ')} ${unreachable.length === 1 ? 'was' : 'were'} unreachable` : '',
    ];
    ctx.state.stopped = `any_errors_fatal: ${who.filter(Boolean).join(' and ')} at '${taskTitle(ctx, frame, task, hosts[0], chain.nodes)}' (${task.pos.file}:${task.pos.line})`;
    control.ended = true;
    control.endPlay = true;
  }
}

async function metaActions(
  ctx: RunContext,
  frame: PlayFrame,
  results: Map<string, { meta?: string; status: string }>,
  control: BatchControl,
): Promise<void> {
  const acting = [...results].filter(([, r]) => r.meta && r.status !== 'skipped' && r.status !== 'failed');
  const action = acting[0]?.[1].meta;
  if (!action) return;
  switch (action) {
    case 'flush_handlers':
      await flushHandlers(ctx, frame, frame.batch);
      break;
    case 'end_host':
      for (const [h] of acting) ctx.state.hosts.get(h)!.ended = true;
      break;
    case 'end_batch':
      control.ended = true;
      break;
    case 'end_play':
      control.ended = true;
      control.endPlay = true;
      break;
    case 'clear_host_errors':
      // As Ansible: every host of the batch is failed or unreachable no more (the run's exit
      // status forgets them, later plays have them again), but one that had left this play
      // does not come back to it; the hosts that ran it (a rescue, an always) carry on.
      for (const h of frame.batch) {
        const hs = ctx.state.hosts.get(h)!;
        if ((hs.failed || hs.unreachable) && !results.has(h)) hs.ended = true;
        hs.failed = false;
        hs.unreachable = false;
      }
      break;
  }
}

async function runBlock(
  ctx: RunContext,
  frame: PlayFrame,
  block: BlockDef,
  chain: Chain,
  hosts: string[],
  control: BatchControl,
  e: Eligibility,
): Promise<void> {
  await runNodes(ctx, frame, block.block, chain, hosts, control, e);
  const failed = hosts.filter((h) => {
    const hs = ctx.state.hosts.get(h)!;
    return hs.failed && !hs.unreachable;
  });
  if (block.rescue.length && failed.length && !control.ended) {
    for (const h of failed) ctx.state.hosts.get(h)!.failed = false;
    // As Ansible counts: the failure that sent a host to rescue is "rescued", whatever the
    // rescue does next (a failing rescue task counts as a failure of its own).
    for (const h of failed) {
      const c = ctx.state.hosts.get(h)!.counts;
      c.rescued++;
      c.failed = Math.max(0, c.failed - 1);
    }
    await runNodes(ctx, frame, block.rescue, chain, failed, control, e);
  }
  if (block.always.length && !ctx.state.interrupted) {
    const saved = control.ended;
    // always: runs even after a failure policy stop inside the block (it is cleanup).
    control.ended = false;
    await runNodes(ctx, frame, block.always, chain, hosts, control, { ...e, allowFailed: true });
    control.ended = control.ended || saved;
  }
}

async function runInclude(
  ctx: RunContext,
  frame: PlayFrame,
  inc: IncludeDef,
  chain: Chain,
  hosts: string[],
  control: BatchControl,
  e: Eligibility,
): Promise<void> {
  if (!selectedByTags(effectiveTags(chain), ctx.options.tags, ctx.options.skipTags)) return;
  const t = ctx.deps.templater;
  // Each host may include a different file (or items): group hosts by what they include.
  const groups = new Map<string, { file: string; item?: unknown; hosts: string[] }>();
  const reporter = ctx.deps.reporter;
  const where = `${inc.pos.file}:${inc.pos.line}`;
  const title = inc.name ?? `include_tasks: ${inc.file}`;
  const loopVar = inc.loopControl?.loopVar ?? 'item';
  const result = (
    h: string,
    status: 'ok' | 'skipped' | 'failed',
    started: number,
    extra: { msg?: string; items?: { label: string; status: 'ok' | 'skipped' }[] } = {},
  ) =>
    reporter.emit({
      type: 'task_result',
      play: frame.play.name,
      task: title,
      host: h,
      status,
      batch: frame.batchIndex + 1,
      duration_ms: Math.round(ctx.deps.clock.now() - started),
      where,
      ...extra,
    });
  reporter.emit({ type: 'task_start', play: frame.play.name, task: title, batch: frame.batchIndex + 1, hosts, where });
  for (const h of hosts) {
    const started = ctx.deps.clock.now();
    const hs = ctx.state.hosts.get(h)!;
    // The include's own vars count when its file name is templated (as in Ansible).
    const scope = taskScope(ctx, frame, h, chain.nodes, undefined);
    try {
      const items =
        inc.loop === undefined ? [undefined] : loopItems(t.renderDeep(inc.loop, scope, inc.fieldPos.loop), inc);
      const statuses: { label: string; status: 'ok' | 'skipped' }[] = [];
      for (const item of items) {
        const s = inc.loop === undefined ? scope : scope.with({ [loopVar]: item });
        // As Ansible: with a loop, `when` is asked per item.
        if (inc.when !== undefined && !t.condition(inc.when, s, inc.fieldPos.when)) {
          statuses.push({ label: asText(item), status: 'skipped' });
          continue;
        }
        statuses.push({ label: asText(item), status: 'ok' });
        const file = String(t.render(inc.file, s, inc.fieldPos.include_tasks));
        const key = JSON.stringify([file, item]);
        const g = groups.get(key) ?? groups.set(key, { file, item, hosts: [] }).get(key)!;
        g.hosts.push(h);
      }
      const skipped = statuses.every((x) => x.status === 'skipped');
      // Ansible counts a skipped include, and then each file it includes (below), never the include itself.
      if (skipped) hs.counts.skipped++;
      result(h, skipped ? 'skipped' : 'ok', started, {
        msg: skipped ? (items.length ? 'condition was false' : 'No items in the list') : 'included',
        ...(inc.loop === undefined ? {} : { items: statuses }),
      });
    } catch (err) {
      hs.failed = true;
      hs.counts.failed++;
      result(h, 'failed', started, { msg: located(err, inc.pos) });
    }
  }
  for (const g of groups.values()) {
    let nodes: TaskNode[];
    try {
      nodes =
        g.file === inc.file && inc.preloaded
          ? inc.preloaded
          : await ctx.deps.loadTasks(g.file, inc.baseDir, inc.role, [
              chain.play.moduleDefaults,
              ...chain.nodes.map((n) => n.moduleDefaults),
            ]);
    } catch (err) {
      for (const h of g.hosts) {
        ctx.state.hosts.get(h)!.failed = true;
        ctx.state.hosts.get(h)!.counts.failed++;
        reporter.emit({
          type: 'task_result',
          play: frame.play.name,
          task: title,
          host: h,
          status: 'failed',
          batch: frame.batchIndex + 1,
          duration_ms: 0,
          where,
          msg: (err as Error).message,
        });
      }
      continue;
    }
    for (const h of g.hosts) ctx.state.hosts.get(h)!.counts.ok++;
    const itemBlock: BlockDef = {
      kind: 'block',
      tags: [],
      vars: g.item === undefined ? undefined : { [loopVar]: g.item },
      pos: inc.pos,
      fieldPos: {},
      role: inc.role,
      block: nodes,
      rescue: [],
      always: [],
    };
    await runNodes(ctx, frame, [itemBlock], chain, g.hosts, control, e);
  }
}

function loopItems(v: unknown, inc: IncludeDef): unknown[] {
  if (!Array.isArray(v))
    throw new TemplateError(`loop must be a list, got ${v === null ? 'null' : typeof v}`, { pos: inc.fieldPos.loop });
  return inc.loopFlatten ? v.flatMap((x: unknown) => (Array.isArray(x) ? (x as unknown[]) : [x])) : (v as unknown[]);
}
