// What a task_result event says about one host's result: the message, planned changes, the
// diff, loop items with their labels, stdout/stderr with -v; and for no_log tasks nothing
// but a notice, while their output joins the secrets masked everywhere afterwards.
import type { RunEvent } from '../report/events.js';
import type { RunContext } from './context.js';
import type { HostResult } from './task-result.js';

type Detail = Partial<Extract<RunEvent, { type: 'task_result' }>>;

export const NO_LOG_NOTICE = 'the output has been hidden due to no_log: true';

/**
 * Output of a no_log task this long or longer is masked in all later output (a token read by
 * one task and passed to the next). Shorter values ("ok", "done") would mask ordinary words.
 */
export const NO_LOG_MIN_SECRET = 8;

export function resultDetail(ctx: RunContext, r: HostResult, noLog: boolean): Detail {
  if (noLog) return { msg: NO_LOG_NOTICE };
  const verbose = ctx.options.verbosity > 0;
  const stdout = typeof r.data.stdout === 'string' && verbose ? r.data.stdout : undefined;
  const stderr = typeof r.data.stderr === 'string' && verbose ? r.data.stderr : undefined;
  return {
    ...(r.msg ? { msg: r.msg } : {}),
    ...(r.changes?.length ? { changes: r.changes } : {}),
    ...(r.diff?.length && ctx.options.diff ? { diff: r.diff } : {}),
    ...(r.items
      ? {
          items: r.items.map((i) => ({
            label: i.label,
            status: i.status,
            ...(i.msg && i.status !== 'skipped' ? { msg: i.msg } : {}),
          })),
        }
      : {}),
    ...(stdout !== undefined ? { stdout } : {}),
    ...(stderr !== undefined ? { stderr } : {}),
  };
}

/** Remember a no_log task's output values as secrets, so no later event or line shows them. */
export function rememberNoLogOutput(secrets: Set<string>, r: HostResult): void {
  const visit = (v: unknown, depth: number): void => {
    if (depth > 4) return;
    if (typeof v === 'string') {
      for (const s of new Set([v, v.trim(), ...v.split('\n').map((l) => l.trim())]))
        if (s.length >= NO_LOG_MIN_SECRET) secrets.add(s);
    } else if (Array.isArray(v)) v.forEach((x) => visit(x, depth + 1));
    else if (v && typeof v === 'object') Object.values(v).forEach((x) => visit(x, depth + 1));
  };
  visit(r.data, 0);
  visit(r.msg, 0);
  for (const i of r.items ?? []) {
    visit(i.data, 1);
    visit(i.msg, 1);
    visit(i.label, 1);
  }
}
