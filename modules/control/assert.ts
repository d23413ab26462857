// assert: fail unless every condition holds; the message names the first one that does not.
import { defineModule } from '../../engine/index-module.js';

type Args = { that: unknown; fail_msg?: string; msg?: string; success_msg?: string; quiet: boolean };
type State = { failed?: string; evaluated: number };

export const assertModule = defineModule<Args, State, never>({
  name: 'assert',
  schema: 'assert',
  runsOn: 'controller',
  predictable: true,
  async inspect(ctx, args) {
    const list = Array.isArray(args.that) ? args.that : [args.that];
    for (const cond of list) {
      if (!ctx.condition(cond))
        return { failed: typeof cond === 'string' ? cond : JSON.stringify(cond), evaluated: list.length };
    }
    return { evaluated: list.length };
  },
  plan(state, args) {
    if (state.failed !== undefined) {
      return {
        changes: [],
        refuse: args.fail_msg ?? args.msg ?? `assertion failed: ${state.failed}`,
        data: { assertion: state.failed, evaluated_to: false },
      };
    }
    return { changes: [], noop: args.quiet ? undefined : (args.success_msg ?? 'All assertions passed'), data: {} };
  },
  async apply() {
    return {};
  },
});
