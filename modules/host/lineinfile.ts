// lineinfile: make sure one line is in a text file (replacing the line a regexp finds), or that
// no line matching is; Ansible's semantics (insertafter/insertbefore, firstmatch, backrefs with
// Python's \1 and \g<name>), a diff, backup and validate.
import { predictChanges } from './predictions.js';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { applyWrite, type WriteChange } from './file-write.js';
import { ensureLine, removeLines, type LineOptions } from './lineinfile-edit.js';
import { checkMode } from './mode.js';
import { inspectTextFile, pathOf, planTextEdit, type TextFileArgs, type TextFileState } from './text-file.js';

export type LineinfileArgs = TextFileArgs & LineOptions & { state: 'present' | 'absent' };

function checkArgs(args: LineinfileArgs): void {
  if (args.mode !== undefined) checkMode(args.mode);
  if (args.state === 'present' && args.line === undefined) throw new ModuleError('line is required with state=present');
  if (args.insertafter !== undefined && args.insertbefore !== undefined)
    throw new ModuleError('insertafter and insertbefore are mutually exclusive');
  if (args.regexp !== undefined && args.search_string !== undefined)
    throw new ModuleError('regexp and search_string are mutually exclusive');
  if (args.backrefs && args.search_string !== undefined)
    throw new ModuleError('backrefs works with regexp, not search_string');
  if (args.backrefs && args.regexp === undefined) throw new ModuleError('regexp is required with backrefs=true');
  if (
    args.state === 'absent' &&
    args.regexp === undefined &&
    args.search_string === undefined &&
    args.line === undefined
  ) {
    throw new ModuleError('one of line, search_string, or regexp is required with state=absent');
  }
}

export const lineinfile = defineModule<LineinfileArgs, TextFileState, WriteChange>({
  name: 'lineinfile',
  schema: 'lineinfile',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    checkArgs(args);
    return inspectTextFile(ctx, pathOf(args));
  },
  plan(state, args) {
    const p = pathOf(args);
    const removing = args.state === 'absent';
    return planTextEdit(state, args, (text) => (removing ? removeLines(text, args) : ensureLine(text, args)), {
      removing,
      missing: `Destination ${p} does not exist ! (create: true makes it)`,
      noop: removing ? `no line to remove in ${p}` : `${p} already has the line`,
    });
  },
  predict: (_state, _args, plan, ctx) => predictChanges(plan.changes, ctx),
  async apply(ctx, args, plan) {
    return { data: await applyWrite(ctx, plan.changes, undefined, args.validate) };
  },
});
