// meta: run control (flush_handlers, end_play, end_host, end_batch, clear_host_errors, noop).
// The module only names the action; the engine carries it out.
import { defineModule } from '../../engine/index-module.js';

// The schema is an enum of strings: the action itself is the whole argument
// (`meta: flush_handlers`), never a mapping, so there is no free-form key to wrap it in.
type Args = string;

export const meta = defineModule<Args, null, never>({
  name: 'meta',
  schema: 'meta',
  runsOn: 'controller',
  predictable: true,
  async inspect() {
    return null;
  },
  plan(_state, action) {
    return { changes: [], noop: action, data: { meta: action } };
  },
  async apply() {
    return {};
  },
});
