// meta: run control (flush_handlers, end_play, end_host, end_batch, clear_host_errors, noop).
// The module only names the action; the engine carries it out.
import { defineModule } from '../../engine/index-module.js';

type Args = { action: string };

export const meta = defineModule<Args, null, never>({
  name: 'meta',
  schema: 'meta',
  runsOn: 'controller',
  predictable: true,
  freeForm: 'action',
  async inspect() {
    return null;
  },
  plan(_state, args) {
    return { changes: [], noop: args.action, data: { meta: args.action } };
  },
  async apply() {
    return {};
  },
});
