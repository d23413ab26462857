// One task on one host: when, loop, arguments, the module, until/retries, changed_when,
// failed_when, register. Errors become this host's result; they never escape.
import { setMaxListeners } from 'node:events';
import { errorMessage, TemplateError, UnreachableError, type SourcePos } from '../errors.js';
import type { TaskDef } from '../load/model.js';
import type { Layer, Scope } from '../template/index.js';
import { argsWithModuleDefaults, checkArgs } from './args.js';
import type { RunContext } from './context.js';
import { conditions, environment, flag, innermost, keywordSeconds, text, type Chain } from './keywords.js';
import { buildModuleContext, type TaskEnv } from './module-context.js';
import { callModule } from './module-call.js';
import { pathExpander } from './path-args.js';
import { playScope, readVar, taskScope, type PlayFrame } from './scope.js';
import { taskConnection } from './task-connection.js';
import { combineItems, registeredValue, type HostResult, type ItemResult } from './task-result.js';
import { asText } from '../text.js';
import { setLongTimeout, type LongTimer } from '../timers.js';

export type HostHooks = {
  progress: (msg: string) => void;
  warn: (msg: string) => void;
  log: (level: number, msg: string) => void;
};

export function located(e: unknown, pos: SourcePos | undefined): string {
  if (e instanceof TemplateError) {
    const p = e.pos ?? pos;
    return `${p ? `${p.file}:${p.line}:${p.col}: ` : ''}${e.message}${e.hint ? ` (${e.hint})` : ''}`;
  }
  return errorMessage(e);
}

export async function runTaskOnHost(
  ctx: RunContext,
  frame: PlayFrame,
  chain: Chain,
  task: TaskDef,
  host: string,
  hooks: HostHooks,
): Promise<HostResult> {
  const t = ctx.deps.templater;
  const base = taskScope(ctx, frame, host, chain.nodes, undefined);
  try {
    if (task.loop === undefined) return await runOnce(ctx, frame, chain, task, host, base, hooks);
    const items = t.renderDeep(task.loop, base, task.fieldPos.loop ?? task.pos);
    if (typeof items === 'string')
      throw new TemplateError(`loop must be a list, got the string ${JSON.stringify(items.slice(0, 60))}`, {
        pos: task.fieldPos.loop,
      });
    if (!Array.isArray(items))
      throw new TemplateError(`loop must be a list, got ${items === null ? 'null' : typeof items}`, {
        pos: task.fieldPos.loop,
      });
    // with_items flattens one level, as Ansible does.
    const list: unknown[] = task.loopFlatten ? (items as unknown[]).flat() : items;
    const lc = task.loopControl ?? {};
    const results: ItemResult[] = [];
    for (let i = 0; i < list.length; i++) {
      if (ctx.state.interrupted) break;
      const loopVars: Record<string, unknown> = {
        [lc.loopVar ?? 'item']: list[i],
        ansible_loop_var: lc.loopVar ?? 'item',
        ...(lc.indexVar ? { [lc.indexVar]: i, ansible_index_var: lc.indexVar } : {}),
      };
      const layer: Layer = { ...loopVars, ...(lc.extended ? { ansible_loop: extendedLoop(list, i) } : {}) };
      const scope = taskScope(ctx, frame, host, chain.nodes, layer);
      const label =
        lc.label !== undefined
          ? String(t.render(lc.label, scope, task.fieldPos.loop_control))
          : typeof list[i] === 'object'
            ? JSON.stringify(list[i])
            : String(list[i]);
      const r = await runOnce(ctx, frame, chain, task, host, scope, hooks);
      results.push({ ...r, item: list[i], label, loopVars });
      if (lc.pause && i < list.length - 1) {
        const pause = keywordSeconds(
          t.render(asText(lc.pause), scope, task.fieldPos.loop_control),
          'loop_control.pause',
          task.fieldPos.loop_control,
        );
        await ctx.deps.clock.sleep(pause * 1000, ctx.state.abort.signal);
      }
    }
    return combineItems(results);
  } catch (e) {
    return errorResult(e, task);
  }
}

/** retries: a whole number (0 or less is one attempt, as in Ansible), else an error at its line. */
function wholeOrNegative(v: unknown, pos: SourcePos | undefined): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new TemplateError(`retries: ${JSON.stringify(v)} is not a whole number`, { pos });
  return n;
}

/** A value computed on first use, then kept (a thrown error is thrown again each time). */
function memo<T>(f: () => T): () => T {
  let done: { v: T } | undefined;
  return () => (done ??= { v: f() }).v;
}

/** loop_control.extended: Ansible's ansible_loop (previtem and nextitem only where there is one). */
function extendedLoop(list: unknown[], i: number): Record<string, unknown> {
  const n = list.length;
  return {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    allitems: list,
    ...(i > 0 ? { previtem: list[i - 1] } : {}),
    ...(i < n - 1 ? { nextitem: list[i + 1] } : {}),
  };
}

function errorResult(e: unknown, task: TaskDef): HostResult {
  if (e instanceof UnreachableError)
    return { status: 'unreachable', msg: e.message, data: { unreachable_reason: e.reason } };
  return { status: 'failed', msg: located(e, task.pos), data: {} };
}

async function runOnce(
  ctx: RunContext,
  frame: PlayFrame,
  chain: Chain,
  task: TaskDef,
  host: string,
  scope: Scope,
  hooks: HostHooks,
): Promise<HostResult> {
  const t = ctx.deps.templater;
  let delegate: string | undefined;
  try {
    for (const c of conditions(chain)) {
      if (!t.condition(c.expr, scope, c.pos))
        return { status: 'skipped', msg: 'condition was false', data: { skip_reason: 'Conditional result was False' } };
    }
    const mod = await ctx.deps.loadModule(task.module);
    const rendered = t.renderDeep(argsWithModuleDefaults(chain, task), scope, task.fieldPos[task.module] ?? task.pos);
    const checked = checkArgs(ctx.deps.registry, mod, rendered, frame.omit);
    if (!checked.ok)
      return { status: 'failed', msg: `${task.pos.file}:${task.pos.line}: ${checked.message}`, data: {} };
    for (const k of mod.secretArgs ?? []) {
      const v = (checked.args as Record<string, unknown>)[k];
      if (typeof v === 'string' && v) ctx.state.secrets.add(v);
    }
    delegate = text(t, chain, 'delegateTo', scope);
    const taskCheck = flag(t, chain, 'checkMode', scope);
    const check = taskCheck ?? ctx.options.check;
    const timeout = text(t, chain, 'timeout', scope);
    const timeoutPos = innermost(chain, 'timeout')?.pos;
    const env: TaskEnv = {
      host,
      target: delegate ?? host,
      nodeName: asText(readVar(ctx, scope, 'node_name') ?? host),
      check,
      diff: (flag(t, chain, 'diff', scope) ?? true) && ctx.options.diff,
      connection: memo(() =>
        taskConnection(
          ctx,
          chain,
          delegate ?? host,
          delegate ? taskScope(ctx, frame, delegate, chain.nodes, undefined) : scope,
          scope,
        ),
      ),
      environment: environment(t, chain, scope),
      timeoutMs: timeout === undefined ? undefined : keywordSeconds(timeout, 'timeout', timeoutPos) * 1000 || undefined,
      // Read only when the module asks for a Kubernetes client: most tasks never do.
      kube: () => ({
        kubeconfig: text(t, chain, 'kubeconfig', scope) ?? (readVar(ctx, scope, 'kubeconfig') as string | undefined),
        context: text(t, chain, 'kubeContext', scope) ?? (readVar(ctx, scope, 'kube_context') as string | undefined),
        from: text(t, chain, 'kubeconfigFrom', scope) ?? (readVar(ctx, scope, 'kubeconfig_from') as string | undefined),
        tunnel: flag(t, chain, 'kubeApiTunnel', scope) ?? Boolean(readVar(ctx, scope, 'kube_api_tunnel')),
      }),
      role: task.role,
      scope,
      hostScope: (h) => playScope(ctx, frame, h),
      ...hooks,
    };
    const expandPaths = pathExpander(ctx.deps.registry, mod);
    const once = async (): Promise<HostResult> => {
      // Each attempt under a timeout has its own abort: the timeout stops the module's commands, waits and sleeps.
      const attempt = env.timeoutMs ? new AbortController() : undefined;
      const signal = attempt ? AbortSignal.any([ctx.state.abort.signal, attempt.signal]) : undefined;
      if (signal) setMaxListeners(0, signal);
      const mctx = buildModuleContext(ctx, { ...env, signal });
      const r = await withTimeout(callModule(mod, checked.args, mctx, expandPaths), mctx.timeout, task, attempt);
      return adjust(ctx, task, scope, r);
    };
    const r = task.until === undefined ? await once() : await retry(ctx, task, scope, once, hooks);
    if (delegate) r.delegatedTo = delegate;
    const facts = r.data.ansible_facts;
    // A fact module's facts (service_facts) are host facts, as setup's; set_fact's are variables.
    if (facts && typeof facts === 'object') {
      if (mod.hostFacts) r.gathered = facts as Record<string, unknown>;
      else r.facts = facts as Record<string, unknown>;
    }
    if (typeof r.data.meta === 'string') r.meta = r.data.meta;
    return r;
  } catch (e) {
    // An unreachable delegate is reported as such: the event names the host that was tried.
    const r = errorResult(e, task);
    if (delegate) r.delegatedTo = delegate;
    return r;
  }
}

async function withTimeout(
  p: Promise<HostResult>,
  ms: number | undefined,
  task: TaskDef,
  attempt?: AbortController,
): Promise<HostResult> {
  if (!ms) return p;
  let timer: LongTimer | undefined;
  const limit = new Promise<HostResult>((resolve) => {
    timer = setLongTimeout(() => {
      // Not left running behind the run: the module sees its signal aborted and winds down.
      attempt?.abort();
      resolve({
        status: 'failed',
        msg: `task timed out after ${ms / 1000}s (timeout: at ${task.pos.file}:${task.pos.line})`,
        data: { timed_out: true },
      });
    }, ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    timer?.clear();
  }
}

/**
 * changed_when, then failed_when, as Ansible evaluates them: both see the registered result
 * (failed_when with changed_when's verdict in it); changed_when decides `changed` whatever the
 * exit code was, failed_when decides `failed` whatever the module said.
 */
function adjust(ctx: RunContext, task: TaskDef, scope: Scope, r: HostResult): HostResult {
  if (task.changedWhen === undefined && task.failedWhen === undefined) return r;
  if (r.status === 'unreachable' || r.status === 'skipped' || r.status === 'unknown') return r;
  const t = ctx.deps.templater;
  let changed = r.changed ?? r.status === 'changed';
  let failed = r.status === 'failed';
  const bound = () => {
    const value = registeredValue({ ...r, status: failed ? 'failed' : changed ? 'changed' : 'ok', changed });
    return scope.with({ ...(task.register ? { [task.register]: value } : {}), result: value });
  };
  if (task.changedWhen !== undefined) changed = t.condition(task.changedWhen, bound(), task.fieldPos.changed_when);
  if (task.failedWhen !== undefined) failed = t.condition(task.failedWhen, bound(), task.fieldPos.failed_when);
  const status = failed ? 'failed' : changed ? 'changed' : 'ok';
  const data = task.failedWhen === undefined ? r.data : { ...r.data, failed_when_result: failed };
  return {
    ...r,
    status,
    changed,
    data,
    msg: failed && r.status !== 'failed' ? `failed_when: ${String(task.failedWhen)}` : r.msg,
  };
}

/**
 * until/retries as Ansible runs them: `until` is asked after every attempt, failed or not (a
 * failed attempt that meets it ends the loop, still failed); retries 0 or less is one attempt
 * with no until at all.
 */
async function retry(
  ctx: RunContext,
  task: TaskDef,
  scope: Scope,
  once: () => Promise<HostResult>,
  hooks: HostHooks,
): Promise<HostResult> {
  const t = ctx.deps.templater;
  const retries =
    task.retries === undefined
      ? 3
      : wholeOrNegative(t.render(asText(task.retries), scope, task.fieldPos.retries), task.fieldPos.retries);
  const delay =
    task.delay === undefined
      ? 5
      : keywordSeconds(t.render(asText(task.delay), scope, task.fieldPos.delay), 'delay', task.fieldPos.delay);
  if (retries <= 0) return once();
  for (let attempt = 1; ; attempt++) {
    const r = await once();
    r.attempts = attempt;
    if (r.status === 'unreachable' || r.status === 'unknown') return r;
    const bound = scope.with({
      ...(task.register ? { [task.register]: registeredValue(r) } : {}),
      result: registeredValue(r),
    });
    if (t.condition(task.until, bound, task.fieldPos.until)) return r;
    if (attempt > retries || ctx.state.interrupted) {
      return {
        ...r,
        status: 'failed',
        changed: r.changed ?? r.status === 'changed',
        msg: `until: ${String(task.until)} still false after ${attempt} attempt${attempt === 1 ? '' : 's'}${r.msg ? ` (last: ${r.msg})` : ''}`,
      };
    }
    hooks.progress(`retrying (${attempt}/${retries}) in ${delay}s: until ${String(task.until)}`);
    await ctx.deps.clock.sleep(delay * 1000, ctx.state.abort.signal);
  }
}
