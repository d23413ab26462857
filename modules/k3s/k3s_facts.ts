// k3s_facts: what is installed on the host (version, role, flags and env (credentials masked),
// datastore), stored as the host variable `k3s` for later tasks.
import { defineModule } from '../../engine/index-module.js';
import { maskArgs, maskEnv, probeK3s, type K3sFacts } from './facts.js';

export const k3sFacts = defineModule<Record<string, never>, K3sFacts, never>({
  name: 'k3s_facts',
  schema: 'k3s_facts',
  runsOn: 'host',
  predictable: true,
  inspect: (ctx) => probeK3s(ctx),
  plan(f) {
    const shown = { ...f, args: maskArgs(f.args), env: maskEnv(f.env) };
    const msg = f.installed
      ? `k3s ${f.version} (${f.role ?? 'no unit'}${f.active ? ', running' : ', not running'}, datastore ${f.datastore})`
      : 'k3s is not installed';
    return { changes: [], noop: msg, data: { k3s: shown, ansible_facts: { k3s: shown } } };
  },
  async apply() {
    return {};
  },
});
