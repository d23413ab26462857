// One task on one host: when, loop, arguments, the module, until/retries, changed_when,
// failed_when, register. Errors become this host's result; they never escape.
import { setMaxListeners } from 'node:events';
import { errorMessage, TemplateError, UnreachableError, type SourcePos } from '../errors.js';
import type { TaskDef } from '../load/model.js';
import type { Layer, Scope } from '../template/index.js';
import { checkArgs } from './args.js';
import type { RunContext } from './context.js';
import { conditions, environment, flag, text, type Chain } from './keywords.js';
import { buildModuleContext, type TaskEnv } from './module-context.js';
import { callModule } from './module-call.js';
import { playScope, readVar, taskScope, type PlayFrame } from './scope.js';
import { combineItems, registeredValue, type HostResult, type ItemResult } from './task-result.js';
import { asText } from '../text.js';

export type HostHooks = { progress: (msg: string) => void; warn: (msg: string) => void; log: (level: number, msg: string) => void };

export function located(e: unknown, pos: SourcePos | undefined): string {
  if (e instanceof TemplateError) {
    const p = e.pos ?? pos;
    return `${p ? `${p.file}:${p.line}:${p.col}: ` : ''}${e.message}${e.hint ? ` (${e.hint})` : ''}`;
  }
  return errorMessage(e);
}

export async function runTaskOnHost(ctx: RunContext, frame: PlayFrame, chain: Chain, task: TaskDef, host: string, hooks: HostHooks): Promise<HostResult> {
  const t = ctx.deps.templater;
  const base = taskScope(ctx, frame, host, chain.nodes, undefined);
  try {
    if (task.loop === undefined) return await runOnce(ctx, frame, chain, task, host, base, hooks);
    const items = t.renderDeep(task.loop, base, task.fieldPos.loop ?? task.pos);
    if (typeof items === 'string') throw new TemplateError(`loop must be a list, got the string ${JSON.stringify(items.slice(0, 60))}`, { pos: task.fieldPos.loop });
    if (!Array.isArray(items)) throw new TemplateError(`loop must be a list, got ${items === null ? 'null' : typeof items}`, { pos: task.fieldPos.loop });
    // with_items flattens one level, as Ansible does.
    const list: unknown[] = task.loopFlatten ? (items as unknown[]).flat() : items;
    const lc = task.loopControl ?? {};
    const results: ItemResult[] = [];
    for (let i = 0; i < list.length; i++) {
      if (ctx.state.interrupted) break;
      const layer: Layer = {
        [lc.loopVar ?? 'item']: list[i],
        ...(lc.indexVar ? { [lc.indexVar]: i } : {}),
        ansible_loop_var: lc.loopVar ?? 'item',
        ...(lc.extended ? { ansible_loop: { index: i + 1, index0: i, first: i === 0, last: i === list.length - 1, length: list.length, allitems: list } } : {}),
      };
      const scope = taskScope(ctx, frame, host, chain.nodes, layer);
      const label = lc.label !== undefined ? String(t.render(lc.label, scope, task.fieldPos.loop_control)) : typeof list[i] === 'object' ? JSON.stringify(list[i]) : String(list[i]);
      const r = await runOnce(ctx, frame, chain, task, host, scope, hooks);
      results.push({ ...r, item: list[i], label });
      if (lc.pause && i < list.length - 1) await ctx.deps.clock.sleep(Number(t.render(asText(lc.pause), scope)) * 1000, ctx.state.abort.signal);
    }
    return combineItems(results);
  } catch (e) {
    return errorResult(e, task);
  }
}

function errorResult(e: unknown, task: TaskDef): HostResult {
  if (e instanceof UnreachableError) return { status: 'unreachable', msg: e.message, data: { unreachable_reason: e.reason } };
  return { status: 'failed', msg: located(e, task.pos), data: {} };
}

async function runOnce(ctx: RunContext, frame: PlayFrame, chain: Chain, task: TaskDef, host: string, scope: Scope, hooks: HostHooks): Promise<HostResult> {
  const t = ctx.deps.templater;
  let delegate: string | undefined;
  try {
    for (const c of conditions(chain)) {
      if (!t.condition(c.expr, scope, c.pos)) return { status: 'skipped', msg: 'condition was false', data: { skip_reason: 'Conditional result was False' } };
    }
    const mod = await ctx.deps.loadModule(task.module);
    const rendered = t.renderDeep(task.args, scope, task.fieldPos[task.module] ?? task.pos);
    const checked = checkArgs(ctx.deps.registry, mod, rendered, frame.omit);
    if (!checked.ok) return { status: 'failed', msg: `${task.pos.file}:${task.pos.line}: ${checked.message}`, data: {} };
    for (const k of mod.secretArgs ?? []) {
      const v = (checked.args as Record<string, unknown>)[k];
      if (typeof v === 'string' && v) ctx.state.secrets.add(v);
    }
    delegate = text(t, chain, 'delegateTo', scope);
    const taskCheck = flag(t, chain, 'checkMode', scope);
    const check = taskCheck ?? ctx.options.check;
    const timeout = text(t, chain, 'timeout', scope);
    const env: TaskEnv = {
      host,
      target: delegate ?? host,
      nodeName: asText(readVar(ctx, scope, 'node_name') ?? host),
      check,
      diff: (flag(t, chain, 'diff', scope) ?? true) && ctx.options.diff,
      become: flag(t, chain, 'become', scope) ?? Boolean(readVar(ctx, scope, 'become') ?? readVar(ctx, scope, 'ansible_become')),
      becomeUser: text(t, chain, 'becomeUser', scope) ?? (readVar(ctx, scope, 'become_user') as string | undefined) ?? (readVar(ctx, scope, 'ansible_become_user') as string | undefined),
      environment: environment(t, chain, scope),
      timeoutMs: timeout ? Number(timeout) * 1000 : undefined,
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
    const once = async (): Promise<HostResult> => {
      // Each attempt under a timeout has its own abort: the timeout stops the module's commands, waits and sleeps.
      const attempt = env.timeoutMs ? new AbortController() : undefined;
      const signal = attempt ? AbortSignal.any([ctx.state.abort.signal, attempt.signal]) : undefined;
      if (signal) setMaxListeners(0, signal);
      const mctx = buildModuleContext(ctx, { ...env, signal });
      const r = await withTimeout(callModule(mod, checked.args, mctx), mctx.timeout, task, attempt);
      return adjust(ctx, task, scope, r);
    };
    const r = task.until === undefined ? await once() : await retry(ctx, task, scope, once, hooks);
    if (delegate) r.delegatedTo = delegate;
    const facts = r.data.ansible_facts;
    if (facts && typeof facts === 'object') r.facts = facts as Record<string, unknown>;
    if (typeof r.data.meta === 'string') r.meta = r.data.meta;
    return r;
  } catch (e) {
    // An unreachable delegate is reported as such: the event names the host that was tried.
    const r = errorResult(e, task);
    if (delegate) r.delegatedTo = delegate;
    return r;
  }
}

async function withTimeout(p: Promise<HostResult>, ms: number | undefined, task: TaskDef, attempt?: AbortController): Promise<HostResult> {
  if (!ms) return p;
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<HostResult>((resolve) => {
    timer = setTimeout(() => {
      // Not left running behind the run: the module sees its signal aborted and winds down.
      attempt?.abort();
      resolve({ status: 'failed', msg: `task timed out after ${ms / 1000}s (timeout: at ${task.pos.file}:${task.pos.line})`, data: { timed_out: true } });
    }, ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

/** changed_when / failed_when, evaluated with the result bound to the register name. */
function adjust(ctx: RunContext, task: TaskDef, scope: Scope, r: HostResult): HostResult {
  if (task.changedWhen === undefined && task.failedWhen === undefined) return r;
  if (r.status === 'unreachable' || r.status === 'skipped' || r.status === 'unknown') return r;
  const t = ctx.deps.templater;
  const bound = scope.with({ ...(task.register ? { [task.register]: registeredValue(r) } : {}), result: registeredValue(r) });
  let status = r.status;
  if (task.changedWhen !== undefined && status !== 'failed') status = t.condition(task.changedWhen, bound, task.fieldPos.changed_when) ? 'changed' : 'ok';
  if (task.failedWhen !== undefined) {
    const failed = t.condition(task.failedWhen, bound, task.fieldPos.failed_when);
    if (failed) status = 'failed';
    else if (status === 'failed') status = r.changes?.length ? 'changed' : 'ok';
  }
  return { ...r, status, msg: status === 'failed' && r.status !== 'failed' ? `failed_when: ${String(task.failedWhen)}` : r.msg };
}

async function retry(ctx: RunContext, task: TaskDef, scope: Scope, once: () => Promise<HostResult>, hooks: HostHooks): Promise<HostResult> {
  const t = ctx.deps.templater;
  const retries = Number(task.retries === undefined ? 3 : t.render(asText(task.retries), scope));
  const delay = Number(task.delay === undefined ? 5 : t.render(asText(task.delay), scope));
  for (let attempt = 1; ; attempt++) {
    const r = await once();
    r.attempts = attempt;
    if (r.status === 'unreachable' || r.status === 'unknown') return r;
    const bound = scope.with({ ...(task.register ? { [task.register]: registeredValue(r) } : {}), result: registeredValue(r) });
    if (r.status !== 'failed' && t.condition(task.until, bound, task.fieldPos.until)) return r;
    if (attempt > retries || ctx.state.interrupted) {
      return { ...r, status: 'failed', msg: `until: ${String(task.until)} still false after ${attempt} attempt${attempt === 1 ? '' : 's'}${r.msg ? ` (last: ${r.msg})` : ''}` };
    }
    hooks.progress(`retrying (${attempt}/${retries}) in ${delay}s: until ${String(task.until)}`);
    await ctx.deps.clock.sleep(delay * 1000, ctx.state.abort.signal);
  }
}
