// command: run a program without a shell (`cmd` is split into words; quotes honoured). Each
// word's `~`, `~user` and `$VAR` are expanded on the host, as Ansible's run_command does.
import { expandOnHost } from '../../engine/expand-user-vars.js';
import { defineModule, ModuleError } from '../../engine/index-module.js';
import { splitWords } from '../../engine/shell-words.js';
import {
  applyCommand,
  displayArgv,
  inspectCommand,
  planCommand,
  unknownCommandResult,
  type CommandArgs,
  type CommandState,
  type RunChange,
} from './command-common.js';

function argvOf(args: CommandArgs): string[] {
  const argv = args.argv ? args.argv.map(String) : args.cmd !== undefined ? splitWords(args.cmd) : [];
  if (!argv.length) throw new ModuleError('command needs a command: `command: ls -l` or `argv: [ls, -l]`');
  return argv;
}

export const command = defineModule<CommandArgs, CommandState, RunChange>({
  name: 'command',
  schema: 'command',
  runsOn: 'host',
  freeForm: 'cmd',
  predictable: (args) => Boolean(args.creates || args.removes || args.check_command !== undefined),
  inspect: inspectCommand,
  plan(state, args) {
    const argv = argvOf(args);
    return planCommand(state, argv, displayArgv(argv));
  },
  async apply(ctx, args, plan) {
    const argv = await expandOnHost((cmd, opts) => ctx.exec(cmd, opts), argvOf(args));
    return applyCommand(ctx, args, { ...plan.changes[0], spec: argv }, displayArgv(argv));
  },
  unknownResult: (args) => unknownCommandResult(displayArgv(argvOf(args))),
});
