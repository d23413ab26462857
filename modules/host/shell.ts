// shell: run a script with /bin/sh -c (or `executable`): pipes, redirections, variables.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import {
  applyCommand,
  inspectCommand,
  planCommand,
  unknownCommandResult,
  type CommandArgs,
  type CommandState,
  type RunChange,
} from './command-common.js';

function specOf(args: CommandArgs): string[] {
  if (args.cmd === undefined || args.cmd.trim() === '')
    throw new ModuleError('shell needs a script: `shell: echo hi | tr a-z A-Z`');
  return [args.executable ?? '/bin/sh', '-c', args.cmd];
}

export const shell = defineModule<CommandArgs, CommandState, RunChange>({
  name: 'shell',
  schema: 'shell',
  runsOn: 'host',
  freeForm: 'cmd',
  predictable: (args) => Boolean(args.creates || args.removes || args.check_command !== undefined),
  inspect: inspectCommand,
  plan(state, args) {
    return planCommand(state, specOf(args), args.cmd!);
  },
  async apply(ctx, args, plan) {
    return applyCommand(ctx, args, plan.changes[0], args.cmd!);
  },
  unknownResult: (args) => unknownCommandResult(args.cmd ?? ''),
});
