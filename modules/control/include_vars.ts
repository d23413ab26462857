// include_vars: variables from a YAML/JSON file on the controller (role vars/, then the playbook's).
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { loadYamlFile } from '../../engine/load/files.js';

type Args = { file: string; name?: string };

export const includeVars = defineModule<Args, { file: string; vars: Record<string, unknown> }, never>({
  name: 'include_vars',
  schema: 'include_vars',
  runsOn: 'controller',
  predictable: true,
  freeForm: 'file',
  async inspect(ctx, args) {
    if (!args.file) throw new ModuleError('include_vars needs a file');
    const file = ctx.resolveSource('vars', args.file);
    const parsed = loadYamlFile(file, 'vars file');
    if (parsed.diagnostics.length) {
      const d = parsed.diagnostics[0];
      throw new ModuleError(`${d.pos ? `${d.pos.file}:${d.pos.line}:${d.pos.col}: ` : ''}${d.message}`);
    }
    if (parsed.value !== null && (typeof parsed.value !== 'object' || Array.isArray(parsed.value)))
      throw new ModuleError(`${file}: a vars file must be a mapping of variable names to values`);
    return { file, vars: (parsed.value ?? {}) as Record<string, unknown> };
  },
  plan(state, args) {
    const facts = args.name ? { [args.name]: state.vars } : state.vars;
    return {
      changes: [],
      noop: `loaded ${Object.keys(state.vars).length} variables from ${state.file}`,
      data: { ansible_facts: facts, ansible_included_var_files: [state.file] },
    };
  },
  async apply() {
    return {};
  },
});
