// set_fact: variables for this host for the rest of the run. Controller only; runs in check mode.
import { defineModule } from '../../engine/index-module.js';

type Args = Record<string, unknown>;

export const setFact = defineModule<Args, null, never>({
  name: 'set_fact',
  schema: 'set_fact',
  runsOn: 'controller',
  predictable: true,
  async inspect() {
    return null;
  },
  plan(_state, args) {
    const { cacheable: _ignored, ...facts } = args;
    const names = Object.keys(facts);
    return { changes: [], noop: `set ${names.join(', ')}`, data: { ansible_facts: facts } };
  },
  async apply() {
    return {};
  },
});
