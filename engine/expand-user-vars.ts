// Ansible expands `~`, `~user` and `$VAR` on the host, in the module's own process: in every
// argument of type path (file's path, copy's dest, ...) and in each word of a command run without
// a shell (module_utils/basic.py: os.path.expanduser(os.path.expandvars(x))). herdbook does it
// the same way: one probe on the host (as the task's become user, with its environment) for the
// environment and the home directories named, then Python's rules here.
import type { CommandSpec, ExecOptions, ExecResult } from './connection/types.js';
import { ModuleError } from './errors.js';

export type HostLookup = { env: Record<string, string>; homes: Record<string, string | undefined> };

/** What a word needs from the host: whether it uses the environment, and which users' homes. */
export function expansionNeeds(word: string): { env: boolean; users: string[] } | undefined {
  const tilde = /^~([^/]*)/.exec(word);
  if (!tilde && !word.includes('$')) return undefined;
  return { env: true, users: tilde && tilde[1] ? [tilde[1]] : [] };
}

// Python's os.path.expandvars: $name or ${anything}; a variable that is not set stays as written.
const VAR = /\$([\p{L}\p{N}_]+|\{[^}]*\})/gu;

/** os.path.expanduser(os.path.expandvars(word)), with the host's environment and homes. */
export function expandUserAndVars(word: string, host: HostLookup): string {
  const vars = word.includes('$')
    ? word.replace(VAR, (m, name: string) => {
        const key = name.startsWith('{') ? name.slice(1, -1) : name;
        return Object.hasOwn(host.env, key) ? host.env[key] : m;
      })
    : word;
  if (!vars.startsWith('~')) return vars;
  const slash = vars.indexOf('/', 1);
  const end = slash < 0 ? vars.length : slash;
  const user = vars.slice(1, end);
  // `~` alone is $HOME when set (Python's rule), else the account's home.
  const home = user ? host.homes[user] : (host.env.HOME ?? host.homes['']);
  if (home === undefined || home === '') return vars;
  return home.replace(/\/+$/, '') + vars.slice(end) || '/';
}

type Exec = (cmd: CommandSpec, opts?: ExecOptions) => Promise<ExecResult>;

// $@: user names ('' for the current user). The environment NUL-separated, then \1, then each
// home (empty when the user is unknown) NUL-terminated.
const PROBE = `env -0; printf '\\001'
for u; do
  if [ -z "$u" ]; then u=$(id -un); fi
  h=$(getent passwd -- "$u" | cut -d: -f6)
  printf '%s\\0' "$h"
done`;

/**
 * The words expanded as Ansible would on the host; untouched (and no command run) when none has
 * `~` or `$`.
 */
export async function expandOnHost(exec: Exec, words: readonly string[]): Promise<string[]> {
  const needs = words.map(expansionNeeds);
  if (!needs.some(Boolean)) return [...words];
  const users = [...new Set(['', ...needs.flatMap((n) => n?.users ?? [])])];
  const r = await exec(['/bin/sh', '-c', PROBE, 'sh', ...users], { idempotent: true });
  if (r.rc !== 0)
    throw new ModuleError(`reading the environment and home directories on the host failed: ${r.stderr.trim()}`);
  const [envText, homesText = ''] = r.stdout.split('\x01');
  const env: Record<string, string> = {};
  for (const entry of envText.split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  const homeList = homesText.split('\0');
  const homes = Object.fromEntries(users.map((u, i) => [u, homeList[i] || undefined]));
  return words.map((w, i) => (needs[i] ? expandUserAndVars(w, { env, homes }) : w));
}
