// replace: every match of a regexp in a file replaced (ansible.builtin.replace): after/before
// limit it to a section, backup and validate as the other file editors, a diff with --diff.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { applyWrite, type WriteChange } from './file-write.js';
import { checkMode } from './mode.js';
import { predictChanges } from './predictions.js';
import { replaceAll, type ReplaceOptions } from './replace-edit.js';
import { inspectTextFile, pathOf, planTextEdit, type TextFileArgs, type TextFileState } from './text-file.js';

export type ReplaceArgs = Omit<TextFileArgs, 'create'> & ReplaceOptions;

export const replace = defineModule<ReplaceArgs, TextFileState, WriteChange>({
  name: 'replace',
  schema: 'replace',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    if (args.mode !== undefined) checkMode(args.mode);
    const p = pathOf(args);
    if (!p) throw new ModuleError('path is required');
    return inspectTextFile(ctx, p);
  },
  plan(state, args) {
    const p = pathOf(args);
    let sectionMsg: string | undefined;
    const plan = planTextEdit(
      state,
      { ...args, create: false },
      (text) => {
        const r = replaceAll(text, args);
        sectionMsg = r.sectionMissing && r.msg;
        return r;
      },
      { removing: false, missing: `Path ${p} does not exist !`, noop: `no replacement needed in ${p}` },
    );
    if (sectionMsg && !plan.changes.length) return { ...plan, noop: sectionMsg };
    return plan;
  },
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  async apply(ctx, args, plan) {
    return { data: await applyWrite(ctx, plan.changes, undefined, args.validate) };
  },
});
