// Calling a module: inspect → plan → (check mode: report the plan) → apply. The one code
// path for both modes, so check mode cannot lie.
import { ModuleError } from '../errors.js';
import type { ModuleContext, ModuleDef } from '../module.js';
import type { HostResult } from './task-result.js';

export function isPredictable(mod: ModuleDef, args: unknown): boolean {
  return typeof mod.predictable === 'function' ? mod.predictable(args) : mod.predictable;
}

/** `prepare`: the arguments as the host sees them (run/path-args.ts), before inspect. */
export async function callModule(
  mod: ModuleDef,
  given: unknown,
  mctx: ModuleContext,
  prepare?: (args: unknown, mctx: ModuleContext) => Promise<unknown>,
): Promise<HostResult> {
  let args = given;
  let state: unknown;
  let plan;
  try {
    if (prepare) args = await prepare(given, mctx);
    state = await mod.inspect(mctx, args);
    plan = mod.plan(state, args);
  } catch (e) {
    if (e instanceof ModuleError) return { status: 'failed', msg: e.message, data: e.data ?? {} };
    throw e;
  }
  const changes = plan.changes.map((c) => c.summary);
  if (plan.refuse)
    return { status: 'failed', msg: plan.refuse, data: { ...(plan.data ?? {}), refused: true }, changes };
  if (!plan.changes.length) return { status: 'ok', msg: plan.noop, data: plan.data ?? {}, diff: plan.diff };
  if (mctx.check) {
    if (plan.changes.every((c) => c.waitOnly))
      return { status: 'ok', msg: changes.map((c) => `would ${c}`).join('; '), data: plan.data ?? {}, diff: plan.diff };
    if (!isPredictable(mod, args)) {
      return {
        status: 'unknown',
        msg: `check mode cannot predict this: ${changes.join('; ')}`,
        data: { ...(mod.unknownResult?.(args) ?? {}), ...(plan.data ?? {}) },
        changes,
      };
    }
    for (const [k, v] of Object.entries(mod.predict?.(state, args, plan, mctx) ?? {})) mctx.cluster.predict(k, v);
    // Predicted but not applied: the registered result still has the keys a real run gives (rc, stdout, ...).
    return {
      status: 'changed',
      msg: changes.map((c) => `would ${c}`).join('; '),
      data: { ...(mod.unknownResult?.(args) ?? {}), ...(plan.data ?? {}), changes },
      changes,
      diff: plan.diff,
    };
  }
  try {
    const r = await mod.apply(mctx, args, plan, state);
    const status = r.failed ? 'failed' : (r.changed ?? true) ? 'changed' : 'ok';
    return {
      status,
      ...(r.failed && r.changed ? { changed: true } : {}),
      msg: r.failed ?? r.msg ?? changes.join('; '),
      data: { ...(plan.data ?? {}), ...(r.data ?? {}) },
      changes,
      diff: r.diff ?? plan.diff,
    };
  } catch (e) {
    if (e instanceof ModuleError) return { status: 'failed', msg: e.message, data: e.data ?? {}, changes };
    throw e;
  }
}
