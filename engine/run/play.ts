// One play: hosts resolved and batched, vars_files loaded, facts gathered, then per batch
// pre_tasks → handlers → tasks (roles first) → handlers → post_tasks → handlers, under the
// failure policy: failed and unreachable hosts leave the batch, and a batch over its
// max_fail_percentage (0 by default for serial rollouts) stops everything after it.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { errorMessage, InputError, TemplateError, UnreachableError } from '../errors.js';
import { loadYamlFile } from '../load/files.js';
import type { Play } from '../load/model.js';
import { playLevel, playLevelScope, resolvePlayHosts } from './resolve-play.js';
import type { HostState, RunContext } from './context.js';
import { emptyCounts } from '../report/events.js';
import { flushHandlers } from './handlers.js';
import { eligibleHosts, runNodes, type BatchControl } from './nodes.js';
import { playScope, type PlayFrame } from './scope.js';
import { taskConnection } from './task-connection.js';
import { setGathered } from './host-facts.js';
import { keywordBool } from './keywords.js';
import type { Layer } from '../template/index.js';
import { asText } from '../text.js';

export function hostState(ctx: RunContext, name: string): HostState {
  let hs = ctx.state.hosts.get(name);
  if (!hs) {
    hs = {
      name,
      facts: {},
      failed: false,
      unreachable: false,
      ended: false,
      notified: new Set(),
      counts: emptyCounts(),
    };
    ctx.state.hosts.set(name, hs);
  }
  return hs;
}

function loadVarsFiles(ctx: RunContext, play: Play): Layer[] {
  const t = ctx.deps.templater;
  const scope = playLevelScope(play, ctx.options.extraVars, ctx.level);
  return play.varsFiles.map((entry) => {
    const candidates = [entry]
      .flat()
      .map((f) => path.resolve(play.baseDir, String(t.render(f, scope, play.fieldPos.vars_files))));
    for (const file of candidates) {
      const parsed = loadYamlFile(file, 'vars file');
      if (parsed.value && typeof parsed.value === 'object') return parsed.value as Layer;
      // A file that exists but cannot be read (bad YAML, a vault password missing): its errors.
      if (parsed.diagnostics.some((d) => d.severity === 'error' && d.pos)) throw new InputError(parsed.diagnostics);
    }
    throw new Error(`vars_files: none of ${candidates.join(', ')} could be read`);
  });
}

function maxFailPercentage(ctx: RunContext, play: Play, serial: unknown): number | undefined {
  if (play.maxFailPercentage !== undefined) {
    const v = String(
      ctx.deps.templater.render(asText(play.maxFailPercentage), playLevelScope(play, ctx.options.extraVars, ctx.level)),
    );
    const pct = Number(v.trim().replace(/%$/, ''));
    // NaN would compare false with every failure count: the play would never stop.
    if (v.trim() === '' || !Number.isFinite(pct) || pct < 0 || pct > 100) {
      throw new InputError([
        {
          severity: 'error',
          message: `max_fail_percentage: '${v}' is not a percentage from 0 to 100`,
          pos: play.fieldPos.max_fail_percentage ?? play.pos,
        },
      ]);
    }
    return pct;
  }
  // herdbook's default for rollouts: a serial play stops at its first failed batch.
  return serial !== undefined && serial !== null ? 0 : undefined;
}

/** A play's true/false keyword (gather_facts, force_handlers), rendered with the play's vars and -e: anything else is an input error at its line. */
function playFlag(ctx: RunContext, play: Play, key: string, value: unknown): boolean {
  if (value === undefined || value === null) return false;
  const pos = play.fieldPos[key] ?? play.pos;
  const scope = playLevelScope(play, ctx.options.extraVars, ctx.level);
  const v = typeof value === 'string' ? ctx.deps.templater.render(value, scope, pos) : value;
  try {
    return keywordBool(v, key, pos);
  } catch (e) {
    const t = e as TemplateError;
    throw new InputError([{ severity: 'error', message: t.message, pos, hint: t.hint }]);
  }
}

export async function runPlay(ctx: RunContext, play: Play, index: number): Promise<void> {
  const reporter = ctx.deps.reporter;
  let level: ReturnType<typeof playLevel>;
  let resolved: ReturnType<typeof resolvePlayHosts>;
  let maxFail: number | undefined;
  let gatherFacts: boolean;
  let forceHandlers: boolean;
  try {
    level = playLevel(play, ctx.options.extraVars, ctx.level);
    resolved = resolvePlayHosts(play, ctx.inventory, ctx.groups, {
      limit: ctx.options.limit,
      hostsPattern: level.hosts,
      serial: level.serial,
    });
    maxFail = maxFailPercentage(ctx, play, level.serial);
    gatherFacts = playFlag(ctx, play, 'gather_facts', play.gatherFacts);
    forceHandlers = playFlag(ctx, play, 'force_handlers', play.forceHandlers);
  } catch (caught) {
    // A template in a play keyword that cannot be rendered is an input error at its line too.
    const e =
      caught instanceof TemplateError
        ? new InputError([
            { severity: 'error', message: caught.message, pos: caught.pos ?? play.pos, hint: caught.hint },
          ])
        : caught;
    // Before the first play nothing has run: exit 4, "nothing was run". Later, earlier plays
    // did run: this play fails at the line, and no later play starts.
    if (!(e instanceof InputError) || index === 0) throw e;
    const d = e.diagnostics[0];
    ctx.state.stopped = `play '${play.name}': ${d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}: ` : ''}${d.message}`;
    reporter.emit({ type: 'play_start', play: play.name, index, hosts: [], batches: 0 });
    reporter.emit({ type: 'play_end', play: play.name, stopped: ctx.state.stopped });
    return;
  }
  const hosts = resolved.hosts.filter((h) => {
    const hs = hostState(ctx, h);
    return !hs.failed && !hs.unreachable;
  });
  const batches = resolved.batches.map((b) => b.filter((h) => hosts.includes(h))).filter((b) => b.length);
  reporter.emit({ type: 'play_start', play: play.name, index, hosts, batches: batches.length });
  if (!resolved.hosts.length)
    reporter.emit({
      type: 'warning',
      msg: `host pattern '${[level.hosts].flat().join(',')}' matches no host: play '${play.name}' runs nowhere`,
    });
  // Ansible's "NO MORE HOSTS LEFT": a play whose hosts all failed earlier must not let later plays run without it.
  else if (!hosts.length) {
    ctx.state.stopped = `play '${play.name}': every host of it failed or was unreachable in an earlier play (${hostList(resolved.hosts)}); no later play runs`;
    reporter.emit({ type: 'play_end', play: play.name, stopped: ctx.state.stopped });
    return;
  }
  let varsFiles: Layer[];
  try {
    varsFiles = loadVarsFiles(ctx, play);
  } catch (e) {
    ctx.state.stopped = `play '${play.name}': ${errorMessage(e)}`;
    reporter.emit({ type: 'play_end', play: play.name, stopped: ctx.state.stopped });
    return;
  }
  ctx.state.forceHandlersPlay = forceHandlers;
  const groups = Object.fromEntries([...ctx.inventory.groups.keys()].map((g) => [g, ctx.groups.hostsOf(g)]));
  const omit = `__omit_place_holder__${randomBytes(8).toString('hex')}`;
  let endPlay = false;
  for (let b = 0; b < batches.length && !endPlay; b++) {
    if (ctx.state.interrupted || ctx.state.stopped) break;
    const batch = batches[b];
    for (const h of batch) hostState(ctx, h).ended = false;
    const frame: PlayFrame = {
      play,
      playIndex: index,
      varsFiles,
      playHosts: hosts,
      batch,
      batchIndex: b,
      batchCount: batches.length,
      groups,
      omit,
    };
    reporter.emit({ type: 'batch_start', play: play.name, batch: b + 1, of: batches.length, hosts: batch });
    const control: BatchControl = { ended: false, endPlay: false };
    if (gatherFacts) await gather(ctx, frame);
    const check = () => {
      if (control.ended || ctx.state.stopped) return;
      const failed = batch.filter((h) => ctx.state.hosts.get(h)!.failed || ctx.state.hosts.get(h)!.unreachable);
      if (!failed.length) return;
      const pct = (failed.length / batch.length) * 100;
      const over = maxFail === undefined ? failed.length === batch.length : pct > maxFail;
      if (!over) return;
      control.ended = true;
      if (maxFail !== undefined) {
        ctx.state.stopped = `batch ${b + 1}/${batches.length} (${batch.join(', ')}): ${failed.length} of ${batch.length} host${batch.length === 1 ? '' : 's'} failed or unreachable (${failed.join(', ')}), over max_fail_percentage ${maxFail}; no later batch or play was started`;
      }
    };
    for (const section of [play.preTasks, play.tasks, play.postTasks]) {
      if (control.ended || ctx.state.interrupted || ctx.state.stopped) break;
      await runNodes(ctx, frame, section, { play, nodes: [] }, batch, control, {}, check);
      if (!ctx.state.interrupted) await flushHandlers(ctx, frame, batch);
      check();
    }
    endPlay = control.endPlay;
    // As Ansible: a batch in which every host failed stops the whole run, whatever max_fail_percentage allows.
    const lost = batch.filter((h) => ctx.state.hosts.get(h)!.failed || ctx.state.hosts.get(h)!.unreachable);
    if (lost.length === batch.length && !ctx.state.stopped && !ctx.state.interrupted) {
      ctx.state.stopped =
        batches.length === 1
          ? `play '${play.name}': every host failed or was unreachable (${hostList(lost)}); no later play runs`
          : `play '${play.name}', batch ${b + 1}/${batches.length}: every host of the batch failed or was unreachable (${hostList(lost)}); no later batch or play runs`;
    }
    if (maxFail === undefined && !eligibleHosts(ctx, hosts).length) break;
  }
  reporter.emit({ type: 'play_end', play: play.name, ...(ctx.state.stopped ? { stopped: ctx.state.stopped } : {}) });
}

/** Host names for a stop reason: all of a few, the first ten of many. */
function hostList(hosts: readonly string[]): string {
  return hosts.length <= 10 ? hosts.join(', ') : `${hosts.slice(0, 10).join(', ')} and ${hosts.length - 10} more`;
}

async function gather(ctx: RunContext, frame: PlayFrame): Promise<void> {
  const reporter = ctx.deps.reporter;
  const hosts = eligibleHosts(ctx, frame.batch);
  const where = `${frame.play.pos.file}:${frame.play.pos.line}`;
  reporter.emit({
    type: 'task_start',
    play: frame.play.name,
    task: 'Gathering facts',
    batch: frame.batchIndex + 1,
    hosts,
    where,
  });
  await Promise.all(
    hosts.map(async (h) => {
      const hs = ctx.state.hosts.get(h)!;
      const started = ctx.deps.clock.now();
      let status: 'ok' | 'failed' | 'unreachable' = 'ok';
      let msg: string | undefined;
      try {
        // The play's connection keywords and variables, as its tasks would have them.
        const scope = playScope(ctx, frame, h);
        // Loaded only by a play that gathers: most runs never need the parser.
        const { gatherFacts } = await import('../facts/gather.js');
        const got = await gatherFacts(
          await ctx.deps.connection(h, taskConnection(ctx, { play: frame.play, nodes: [] }, h, scope, scope).settings),
        );
        hs.factsAlias = got.alias;
        setGathered(hs, got.ansible);
      } catch (e) {
        status = e instanceof UnreachableError ? 'unreachable' : 'failed';
        msg = errorMessage(e);
        if (status === 'unreachable') hs.unreachable = true;
        else hs.failed = true;
      }
      hs.counts[status]++;
      reporter.emit({
        type: 'task_result',
        play: frame.play.name,
        task: 'Gathering facts',
        host: h,
        status,
        batch: frame.batchIndex + 1,
        duration_ms: Math.round(ctx.deps.clock.now() - started),
        where,
        ...(msg ? { msg } : {}),
      });
    }),
  );
}
