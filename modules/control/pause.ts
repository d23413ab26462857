// pause: wait (seconds/minutes), or with only a prompt wait for Enter on a terminal.
// Waiting changes nothing, so it happens in inspect and runs the same in check mode.
import { createInterface } from 'node:readline/promises';
import { defineModule, ModuleError } from '../../engine/index-module.js';

type Args = { seconds?: number; minutes?: number; prompt?: string };

export const pause = defineModule<Args, { waitedMs: number; input?: string }, never>({
  name: 'pause',
  schema: 'pause',
  runsOn: 'controller',
  predictable: true,
  async inspect(ctx, args) {
    const ms = ((args.seconds ?? 0) + (args.minutes ?? 0) * 60) * 1000;
    if (ms > 0 || args.prompt === undefined) {
      if (args.prompt) ctx.progress(args.prompt);
      ctx.progress(`pausing ${ms / 1000}s`);
      await ctx.sleep(ms);
      return { waitedMs: ms };
    }
    if (!process.stdin.isTTY)
      throw new ModuleError(
        `pause with only a prompt needs a terminal ("${args.prompt}"); set seconds: for unattended runs`,
      );
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    const started = ctx.now();
    const input = await rl.question(`${args.prompt} (press Enter) `);
    rl.close();
    return { waitedMs: ctx.now() - started, input };
  },
  plan(state) {
    return {
      changes: [],
      noop: `paused ${(state.waitedMs / 1000).toFixed(1)}s`,
      data: { delta_ms: state.waitedMs, ...(state.input !== undefined ? { user_input: state.input } : {}) },
    };
  },
  async apply() {
    return {};
  },
});
