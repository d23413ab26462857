// sudo for `become`: -n (never prompt) when there is no password; with one, -S reads it from
// stdin (written first), never from the command line.
export function becomeArgv(argv: readonly string[], user: string | undefined, withPassword: boolean): string[] {
  return ['sudo', withPassword ? '-S' : '-n', ...(withPassword ? ['-p', ''] : []), '-H', '-u', user ?? 'root', '--', ...argv];
}
