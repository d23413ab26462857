// Environment values for a command on another machine (over ssh, or pct exec on a Proxmox
// host), kept off every command line there: `env K=V` would show a token to anyone running `ps`
// and in sudo's log.
// The names go in a short sh prologue; the values come first on stdin, one escaped line each,
// and the rest of stdin is left to the command (`read` takes a pipe one byte at a time).
import { ModuleError } from '../errors.js';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const SCRATCH = '__herdbook_env_value';

/** One line for `IFS= read -r`, decoded by printf %b: backslashes doubled, newlines as \n. */
function encode(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

export function checkEnvNames(env: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(env)) {
    if (!ENV_NAME.test(k) || k === SCRATCH) return `invalid environment variable name ${JSON.stringify(k)}`;
    if (v.includes('\0')) return `environment variable ${k} contains a NUL byte`;
  }
  return undefined;
}

/** argv that reads `env` from the head of stdin, then runs `argv` with the remaining stdin. */
export function envFromStdin(
  env: Record<string, string>,
  argv: readonly string[],
  stdin?: string | Buffer,
): { argv: string[]; stdin: Buffer } {
  const bad = checkEnvNames(env);
  if (bad) throw new ModuleError(bad);
  const names = Object.keys(env);
  // $(...) drops trailing newlines: printf adds an x that is cut off again.
  const prologue = [
    ...names.map(
      (k) =>
        `IFS= read -r ${SCRATCH} || exit 125; ${SCRATCH}=$(printf '%bx' "$${SCRATCH}"); export ${k}="\${${SCRATCH}%x}"`,
    ),
    `unset ${SCRATCH}`,
    'exec "$@"',
  ].join('\n');
  const head = Buffer.from(names.map((k) => `${encode(env[k])}\n`).join(''));
  const rest = stdin === undefined ? Buffer.alloc(0) : typeof stdin === 'string' ? Buffer.from(stdin) : stdin;
  return { argv: ['/bin/sh', '-c', prologue, 'sh', ...argv], stdin: Buffer.concat([head, rest]) };
}

/** The names only, for plans and messages. */
export function envNames(env: Record<string, string>): string {
  return Object.keys(env).join(', ');
}
