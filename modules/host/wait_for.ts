// wait_for: wait, as seen from the host, for a TCP port to open or close, a path to appear or
// go, or a regex to show up in a file. It only reads, so it waits in inspect and runs the same
// in check mode; at the timeout it fails with the last thing it saw.
import { defineModule, ModuleError, type Change, type ModuleContext } from '../../engine/index-module.js';
import { lookPath, lookPort, type Look } from './wait-probes.js';

export type WaitForArgs = {
  host: string;
  port?: number;
  path?: string;
  state: 'started' | 'present' | 'stopped' | 'absent';
  search_regex?: string;
  timeout: number;
  delay: number;
  sleep: number;
  connect_timeout: number;
  msg?: string;
};

export type WaitState = {
  ok: boolean;
  elapsed: number;
  what: string;
  seen: string;
  groups?: string[];
  groupdict?: Record<string, string>;
};

/** Look until `look` says done or the time is up; the delay counts towards the timeout, as in Ansible. */
export async function waitUntil(
  ctx: ModuleContext,
  o: { timeout: number; delay: number; sleep: number; what: string },
  look: () => Promise<Look>,
): Promise<WaitState> {
  const start = ctx.now();
  const deadline = start + o.timeout * 1000;
  const elapsed = () => Math.round((ctx.now() - start) / 100) / 10;
  if (o.delay > 0) await ctx.sleep(o.delay * 1000);
  for (;;) {
    const l = await look();
    if (l.done)
      return { ok: true, elapsed: elapsed(), what: o.what, seen: l.seen, groups: l.groups, groupdict: l.groupdict };
    const left = deadline - ctx.now();
    // Aborted (a task timeout, Ctrl-C twice): sleeps return at once, so stop looking rather than spin.
    if (left <= 0 || ctx.signal.aborted) return { ok: false, elapsed: elapsed(), what: o.what, seen: l.seen };
    ctx.progress(`waiting for ${o.what} (${l.seen})`);
    await ctx.sleep(Math.min(o.sleep * 1000, left));
  }
}

function target(args: WaitForArgs): string {
  const positive = args.state === 'started' || args.state === 'present';
  if (args.port !== undefined) return `${args.host}:${args.port} to ${positive ? 'open' : 'close'}`;
  if (args.path !== undefined)
    return `${args.path} to ${positive ? (args.search_regex ? `match ${args.search_regex}` : 'exist') : 'go away'}`;
  return `${args.timeout}s`;
}

export const waitFor = defineModule<WaitForArgs, WaitState, Change>({
  name: 'wait_for',
  schema: 'wait_for',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    if (args.port !== undefined && args.path !== undefined)
      throw new ModuleError('wait_for takes port or path, not both');
    if (args.port !== undefined && args.search_regex !== undefined)
      throw new ModuleError('search_regex works with path (a file); reading it from a port is not supported');
    const positive = args.state === 'started' || args.state === 'present';
    const what = target(args);
    if (args.port === undefined && args.path === undefined) {
      // Nothing to watch: Ansible then just waits `timeout` seconds.
      await ctx.sleep((args.delay + args.timeout) * 1000);
      return { ok: true, elapsed: args.delay + args.timeout, what, seen: 'waited' };
    }
    const look =
      args.port !== undefined
        ? () => lookPort(ctx, args.host, args.port!, args.connect_timeout, positive)
        : () => lookPath(ctx, args.path!, positive, args.search_regex);
    return waitUntil(ctx, { ...args, what }, look);
  },
  plan(st, args) {
    const data: Record<string, unknown> = {
      elapsed: st.elapsed,
      state: args.state,
      ...(args.port !== undefined ? { port: args.port } : {}),
      ...(args.path !== undefined ? { path: args.path } : {}),
    };
    if (st.groups) Object.assign(data, { match_groups: st.groups, match_groupdict: st.groupdict ?? {} });
    if (!st.ok)
      return {
        changes: [],
        refuse: args.msg ?? `Timeout when waiting for ${st.what} after ${args.timeout}s; last seen: ${st.seen}`,
        data,
      };
    return { changes: [], noop: `${st.seen} (after ${st.elapsed}s)`, data };
  },
  async apply() {
    return {};
  },
});
