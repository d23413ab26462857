// What command and shell share: creates/removes and check_command in inspect, the plan,
// running it, and a full result (rc, stdout, ...) even when check mode cannot predict it.
import { ModuleError, type ModuleContext, type Plan } from '../../engine/index-module.js';
import { shellJoin } from '../../engine/connection/quote.js';
import type { CommandSpec } from '../../engine/connection/types.js';

export type CommandArgs = {
  cmd?: string;
  argv?: (string | number)[];
  chdir?: string;
  creates?: string;
  removes?: string;
  stdin?: string;
  stdin_add_newline: boolean;
  strip_empty_ends: boolean;
  check_command?: string | string[];
  executable?: string;
};

export type CommandState = { skip?: string; predicted?: boolean };
export type RunChange = { summary: string; spec: CommandSpec };

export async function inspectCommand(ctx: ModuleContext, args: CommandArgs): Promise<CommandState> {
  if (args.creates || args.removes) {
    const path = (args.creates ?? args.removes)!;
    const r = await ctx.exec(['test', '-e', path], { cwd: args.chdir, idempotent: true });
    const exists = r.rc === 0;
    if (args.creates && exists) return { skip: `skipped, since ${args.creates} exists` };
    if (args.removes && !exists) return { skip: `skipped, since ${args.removes} does not exist` };
  }
  if (ctx.check && args.check_command !== undefined) {
    const spec = typeof args.check_command === 'string' ? ['/bin/sh', '-c', args.check_command] : args.check_command;
    const r = await ctx.exec(spec, { cwd: args.chdir, idempotent: true });
    if (r.rc === 0) return { predicted: true };
    if (r.rc === 1) return { predicted: false };
    throw new ModuleError(
      `check_command failed (exit ${r.rc}): ${r.stderr.trim() || r.stdout.trim()}; it must exit 0 (would change) or 1 (would not)`,
    );
  }
  return {};
}

export function planCommand(state: CommandState, spec: CommandSpec, display: string): Plan<RunChange> {
  if (state.skip)
    return {
      changes: [],
      noop: state.skip,
      data: {
        rc: 0,
        stdout: state.skip,
        stderr: '',
        stdout_lines: [state.skip],
        stderr_lines: [],
        cmd: display,
        skipped_run: true,
      },
    };
  if (state.predicted === false)
    return {
      changes: [],
      noop: 'check_command says nothing would change',
      data: { rc: 0, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], cmd: display },
    };
  return { changes: [{ summary: `run ${display}`, spec }] };
}

const lines = (s: string) => (s === '' ? [] : s.split('\n'));

export async function applyCommand(ctx: ModuleContext, args: CommandArgs, change: RunChange, display: string) {
  const started = ctx.now();
  const stdin = args.stdin === undefined ? undefined : args.stdin + (args.stdin_add_newline ? '\n' : '');
  const r = await ctx.exec(change.spec, {
    cwd: args.chdir,
    stdin,
    onStdout: ctx.verbosity > 1 ? (b) => ctx.log(2, b.toString()) : undefined,
  });
  const strip = (s: string) => (args.strip_empty_ends ? s.replace(/\n+$/, '') : s);
  const stdout = strip(r.stdout);
  const stderr = strip(r.stderr);
  const data = {
    rc: r.rc,
    stdout,
    stderr,
    stdout_lines: lines(stdout),
    stderr_lines: lines(stderr),
    cmd: display,
    delta_ms: ctx.now() - started,
    ...(r.timedOut ? { timed_out: true } : {}),
  };
  // The command ran: changed, as Ansible registers it, even when it failed.
  if (r.timedOut) return { data, changed: true, failed: `${display}: timed out` };
  if (r.rc !== 0)
    return {
      data,
      changed: true,
      failed: `non-zero return code ${r.rc}${stderr ? `: ${stderr.split('\n').slice(-3).join(' | ')}` : ''}`,
    };
  return { data };
}

export function unknownCommandResult(display: string): Record<string, unknown> {
  return { rc: null, stdout: '', stderr: '', stdout_lines: [], stderr_lines: [], cmd: display };
}

export function displayArgv(argv: readonly string[]): string {
  return shellJoin(argv);
}
