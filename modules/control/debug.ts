// debug: print a message or a variable. Reads only; runs the same in check mode.
import { stringify as toYaml } from 'yaml';
import { defineModule } from '../../engine/index-module.js';

type Args = { msg?: unknown; var?: string; verbosity: number };
type State = { text?: string; value?: unknown };

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'VARIABLE IS NOT DEFINED';
  return v !== null && typeof v === 'object' ? toYaml(v).trimEnd() : String(v);
}

export const debug = defineModule<Args, State, never>({
  name: 'debug',
  schema: 'debug',
  runsOn: 'controller',
  predictable: true,
  async inspect(ctx, args) {
    if (args.verbosity > ctx.verbosity) return {};
    if (args.var !== undefined) {
      const value = ctx.evaluate(args.var);
      return { text: `${args.var}: ${show(value)}`, value };
    }
    const msg = args.msg === undefined ? 'Hello world!' : args.msg;
    return { text: show(msg), value: msg };
  },
  plan(state, args) {
    if (state.text === undefined) return { changes: [], noop: `shown only with -${'v'.repeat(args.verbosity)}`, data: { skipped_for_verbosity: true } };
    return { changes: [], noop: state.text, data: args.var !== undefined ? { [args.var]: state.value } : { msg: state.value } };
  },
  async apply() {
    return {};
  },
});
