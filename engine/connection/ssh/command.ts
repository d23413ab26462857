// The one command line sent over an exec channel, built from argv with shellQuote/shellJoin:
// env values at the head of stdin (never on a command line, where sudo's log and `ps` would show a
// token), cwd through `cd`, become through sudo. Pure, so it is tested alone.
import { ModuleError } from '../../errors.js';
import { envFromStdin } from '../env-stdin.js';
import { shellJoin, shellQuote } from '../quote.js';
import type { CommandSpec } from '../types.js';

export type CommandOptions = {
  env?: Record<string, string>;
  cwd?: string;
  become?: boolean;
  becomeUser?: string;
  /** A become password is configured: sudo will be asked to prompt on stderr (-S) instead of -n. */
  becomePassword?: boolean;
};

/** Markers that let exec answer sudo's prompt and know when the command itself has started. */
export type SudoMarkers = { prompt: string; started: string };

export type BuiltCommand = {
  line: string;
  /** First line the login shell writes on stderr, followed by its pid (= the command's process group). */
  pidMarker: string;
  /** The command for messages: no env values, no script beyond its first line. */
  summary: string;
  sudo?: SudoMarkers;
  /** The env values, to be written to the command's stdin before the caller's own stdin. */
  stdinHead?: Buffer;
};

export function summarize(cmd: CommandSpec): string {
  const text = typeof cmd === 'string' ? cmd.trim().split('\n')[0] : shellJoin(cmd);
  const cut = text.length > 100 ? `${text.slice(0, 97)}...` : text;
  return typeof cmd === 'string' && cmd.trim().includes('\n') ? `${cut} ...` : cut;
}

/** The command as the target user's shell runs it, before any sudo wrapping. */
function innerCommand(cmd: CommandSpec, opts: CommandOptions, forSudo: boolean): string {
  let run: string;
  if (typeof cmd === 'string') run = forSudo ? cmd : `/bin/sh -c ${shellQuote(cmd)}`;
  else {
    if (cmd.length === 0) throw new ModuleError('empty command');
    run = shellJoin(cmd);
  }
  return opts.cwd !== undefined ? `cd ${shellQuote(opts.cwd)} && ${run}` : run;
}

// sshd starts each session as a new process group led by the login shell; its pid lets a timeout
// kill the whole command (sshd ignores signal requests on root logins, which run without privsep).
function withPid(line: string, marker: string): string {
  return `printf '%s %s\\n' ${marker} $$ >&2; ${line}`;
}

export function buildCommand(cmd: CommandSpec, opts: CommandOptions, nonce: string): BuiltCommand {
  const summary = summarize(cmd);
  const pidMarker = `herdbook-pid-${nonce}`;
  let stdinHead: Buffer | undefined;
  if (opts.env && Object.keys(opts.env).length > 0) {
    if (Array.isArray(cmd) && cmd.length === 0) throw new ModuleError('empty command');
    const moved = envFromStdin(opts.env, typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : cmd);
    cmd = moved.argv;
    stdinHead = moved.stdin;
  }
  const wrap = (line: string, sudo?: SudoMarkers): BuiltCommand => ({
    line: withPid(line, pidMarker),
    pidMarker,
    summary,
    sudo,
    ...(stdinHead ? { stdinHead } : {}),
  });
  if (!opts.become) return wrap(innerCommand(cmd, opts, false));
  const user = opts.becomeUser ?? 'root';
  const inner = innerCommand(cmd, opts, true);
  if (!opts.becomePassword) {
    return wrap(shellJoin(['sudo', '-n', '-u', user, '--', '/bin/sh', '-c', inner]));
  }
  // The password goes on stdin after sudo's own prompt appears, never in argv; the command
  // prints a marker first so its stdin is written only once sudo has stopped reading.
  const sudo: SudoMarkers = { prompt: `[herdbook-sudo-${nonce}] password: `, started: `herdbook-become-ok-${nonce}` };
  const script = `printf '%s\\n' ${sudo.started}; ${inner}`;
  return wrap(shellJoin(['sudo', '-S', '-p', sudo.prompt, '-u', user, '--', '/bin/sh', '-c', script]), sudo);
}

/**
 * The command line for the persistent executor (executor/agent.ts), which runs it with
 * `/bin/sh -c` in a process group of its own and knows its pid: no pid line. A become password
 * reaches sudo through the agent's askpass helper (`askpass`), not through the command's stdin.
 */
export function buildAgentCommand(
  cmd: CommandSpec,
  opts: CommandOptions,
  askpass: string,
): { line: string; summary: string; simple: boolean; stdinHead?: Buffer } {
  const summary = summarize(cmd);
  // Without a cwd the line is one simple command of quoted words (`cd ... &&` makes it a list).
  const simple = opts.cwd === undefined;
  let stdinHead: Buffer | undefined;
  if (opts.env && Object.keys(opts.env).length > 0) {
    if (Array.isArray(cmd) && cmd.length === 0) throw new ModuleError('empty command');
    const moved = envFromStdin(opts.env, typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : cmd);
    cmd = moved.argv;
    stdinHead = moved.stdin;
  }
  const head = stdinHead ? { stdinHead } : {};
  if (!opts.become) return { line: innerCommand(cmd, opts, false), summary, simple, ...head };
  const user = opts.becomeUser ?? 'root';
  const inner = innerCommand(cmd, opts, true);
  const sudo = opts.becomePassword
    ? ['env', `SUDO_ASKPASS=${askpass}`, 'sudo', '-A', '-u', user]
    : ['sudo', '-n', '-u', user];
  // The cwd is inside sudo's script: the line itself is simple either way.
  return { line: shellJoin([...sudo, '--', '/bin/sh', '-c', inner]), summary, simple: true, ...head };
}
