// fail: stop this host with a message (usually under a `when:`).
import { defineModule } from '../../engine/index-module.js';

export const fail = defineModule<{ msg: string }, null, never>({
  name: 'fail',
  schema: 'fail',
  runsOn: 'controller',
  predictable: true,
  async inspect() {
    return null;
  },
  plan(_state, args) {
    return { changes: [], refuse: args.msg, data: {} };
  },
  async apply() {
    return {};
  },
});
