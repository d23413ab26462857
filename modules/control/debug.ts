// debug: print a message or a variable. Reads only; runs the same in check mode.
import { stringify as toYaml } from 'yaml';
import { defineModule, type ModuleContext } from '../../engine/index-module.js';
import { TemplateError } from '../../engine/errors.js';
import { asText } from '../../engine/text.js';

type Args = { msg?: unknown; var?: string; verbosity: number };
type State = { text?: string; value?: unknown };

function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return 'VARIABLE IS NOT DEFINED';
  return v !== null && typeof v === 'object' ? toYaml(v).trimEnd() : asText(v);
}

/**
 * `var=` of something not defined prints VARIABLE IS NOT DEFINED, as in Ansible; an undefined
 * variable *inside* its value (x: "{{y}}") is still the error it is everywhere else.
 */
function lookup(ctx: ModuleContext, path: string): unknown {
  try {
    return ctx.evaluate(path);
  } catch (e) {
    const missing = e instanceof TemplateError && e.code === 'E_UNDEFINED' ? e.variable : undefined;
    if (missing !== undefined && (missing === path || path.startsWith(`${missing}.`))) return undefined;
    throw e;
  }
}

export const debug = defineModule<Args, State, never>({
  name: 'debug',
  schema: 'debug',
  runsOn: 'controller',
  predictable: true,
  async inspect(ctx, args) {
    if (args.verbosity > ctx.verbosity) return {};
    if (args.var !== undefined) {
      const value = lookup(ctx, args.var);
      return { text: `${args.var}: ${show(value)}`, value };
    }
    const msg = args.msg === undefined ? 'Hello world!' : args.msg;
    return { text: show(msg), value: msg };
  },
  plan(state, args) {
    if (state.text === undefined)
      return {
        changes: [],
        noop: `shown only with -${'v'.repeat(args.verbosity)}`,
        data: { skipped_for_verbosity: true },
      };
    return {
      changes: [],
      noop: state.text,
      data: args.var !== undefined ? { [args.var]: state.value } : { msg: state.value },
    };
  },
  async apply() {
    return {};
  },
});
