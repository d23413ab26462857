// blockinfile: keep a block of lines between two marker lines in a text file (insert, update
// in place, or remove it), with Ansible's markers by default so files it managed stay managed.
import { predictChanges } from './predictions.js';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { editBlock, type BlockOptions } from './blockinfile-edit.js';
import { applyWrite, type WriteChange } from './file-write.js';
import { checkMode } from './mode.js';
import { inspectTextFile, pathOf, planTextEdit, type TextFileArgs, type TextFileState } from './text-file.js';

export type BlockinfileArgs = TextFileArgs & BlockOptions & { content?: string };

export const blockinfile = defineModule<BlockinfileArgs, TextFileState, WriteChange>({
  name: 'blockinfile',
  schema: 'blockinfile',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    if (args.mode !== undefined) checkMode(args.mode);
    if (args.insertafter !== undefined && args.insertbefore !== undefined)
      throw new ModuleError('insertafter and insertbefore are mutually exclusive');
    if (!args.marker.includes('{mark}'))
      throw new ModuleError(`marker must contain {mark}, or the begin and end lines are the same: ${args.marker}`);
    return inspectTextFile(ctx, pathOf(args));
  },
  plan(state, args) {
    const p = pathOf(args);
    const o = { ...args, block: args.content ?? args.block };
    return planTextEdit(state, args, (text) => editBlock(state.file.exists ? text : undefined, o), {
      removing: args.state === 'absent',
      missing: `Path ${p} does not exist ! (create: true makes it)`,
      noop: args.state === 'absent' ? `no block to remove in ${p}` : `${p} already has the block`,
    });
  },
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  async apply(ctx, args, plan) {
    return { data: await applyWrite(ctx, plan.changes, undefined, args.validate) };
  },
});
