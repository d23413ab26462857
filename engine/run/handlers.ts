// Handlers run at the end of each section and on meta: flush_handlers: once per notified
// handler, in the order they are defined, only on the hosts that notified them.
import type { HostState, RunContext } from './context.js';
import type { PlayFrame } from './scope.js';
import { runTaskOnHosts } from './task-hosts.js';

export function handlerEligible(ctx: RunContext, hs: HostState | undefined): boolean {
  return !!hs && !hs.unreachable && !hs.ended && (!hs.failed || ctx.options.forceHandlers || frameForce(ctx));
}

function frameForce(ctx: RunContext): boolean {
  return ctx.state.forceHandlersPlay === true;
}

export async function flushHandlers(ctx: RunContext, frame: PlayFrame, hosts: readonly string[]): Promise<void> {
  // A handler may notify another: keep going until nothing is pending (bounded).
  for (let pass = 0; pass < 20; pass++) {
    const snapshot = new Map<string, Set<string>>();
    for (const h of hosts) {
      const hs = ctx.state.hosts.get(h);
      if (!hs?.notified.size) continue;
      snapshot.set(h, new Set(hs.notified));
      hs.notified.clear();
    }
    if (!snapshot.size) return;
    for (const handler of frame.play.handlers) {
      if (ctx.state.interrupted) return;
      const names = [handler.name, ...handler.listen].filter((n): n is string => !!n);
      const targets = [...snapshot]
        .filter(([h, set]) => names.some((n) => set.has(n)) && handlerEligible(ctx, ctx.state.hosts.get(h)))
        .map(([h]) => h);
      if (targets.length)
        // The handler is in its own chain, as a task is: its when, vars, become, environment apply.
        await runTaskOnHosts(ctx, frame, { play: frame.play, nodes: [handler] }, handler, targets, { handler: true });
    }
  }
}
