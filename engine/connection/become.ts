// sudo for `become`: -n (never prompt) when there is no password. With one, -S with a prompt
// of our own: the password is written on stdin only when that prompt appears, never on the
// command line, and the command prints a marker first so that its own stdin is written only
// once sudo has stopped reading (a NOPASSWD sudo never leaves the password to the command).
import { randomBytes } from 'node:crypto';

export type SudoMarkers = { prompt: string; started: string };

export function sudoMarkers(nonce = randomBytes(8).toString('hex')): SudoMarkers {
  return { prompt: `[herdbook-sudo-${nonce}] password: `, started: `herdbook-become-ok-${nonce}` };
}

export function becomeArgv(argv: readonly string[], user: string | undefined, markers?: SudoMarkers): string[] {
  const u = user ?? 'root';
  if (!markers) return ['sudo', '-n', '-H', '-u', u, '--', ...argv];
  return [
    'sudo',
    '-S',
    '-p',
    markers.prompt,
    '-H',
    '-u',
    u,
    '--',
    '/bin/sh',
    '-c',
    `printf '%s\\n' ${markers.started}; exec "$@"`,
    'sh',
    ...argv,
  ];
}
