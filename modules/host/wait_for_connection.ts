// wait_for_connection: until the host answers a trivial command over its connection (after a
// reboot, a container start, a network change). A read: it waits the same in check mode.
import { defineModule, type Change, type ModuleContext } from '../../engine/index-module.js';
import { waitUntil, type WaitState } from './wait_for.js';

export type WaitForConnectionArgs = { timeout: number; delay: number; sleep: number; connect_timeout: number };

/** One attempt: `true` on the host. Errors (refused, timeout, dropped) are what it saw, not failures. */
export async function answers(ctx: ModuleContext, connectTimeout: number): Promise<{ done: boolean; seen: string }> {
  try {
    const r = await ctx.exec(['true'], { timeout: connectTimeout * 1000, idempotent: true });
    if (r.rc === 0) return { done: true, seen: `${ctx.host} answered` };
    return {
      done: false,
      seen: r.timedOut ? `no answer within ${connectTimeout}s` : `true exited ${r.rc}: ${r.stderr.trim()}`,
    };
  } catch (e) {
    if (ctx.signal.aborted) throw e;
    return { done: false, seen: (e as Error).message };
  }
}

export const waitForConnection = defineModule<WaitForConnectionArgs, WaitState, Change>({
  name: 'wait_for_connection',
  schema: 'wait_for_connection',
  runsOn: 'host',
  predictable: true,
  inspect: (ctx, args) =>
    waitUntil(ctx, { ...args, what: `${ctx.host} to answer` }, () => answers(ctx, args.connect_timeout)),
  plan(st, args) {
    const data = { elapsed: st.elapsed };
    if (!st.ok)
      return {
        changes: [],
        refuse: `timed out waiting for the connection after ${args.timeout}s; last seen: ${st.seen}`,
        data,
      };
    return { changes: [], noop: `${st.seen} (after ${st.elapsed}s)`, data };
  },
  async apply() {
    return {};
  },
});
