// The persistent executor's shell side: a POSIX sh (dash, bash, busybox ash) started once per
// host that reads its script from stdin and runs each command in a child of its own:
//   - the child is a new session (setsid), so its process group is its pid and a timeout kills
//     that group and nothing else;
//   - its stdout and stderr go to fresh files, never through the agent's own stdout; once it has
//     ended, the agent writes a header line with the status, then stdout, a separator, stderr
//     and the separator again. The separator holds the session's nonce, which only the agent
//     knows (it came on its stdin), so no output can forge it. A daemon the command left behind
//     may go on writing to its files: that is never sent, and never reaches another command's;
//   - its stdin is a pipe from `base64 -d` reading a here-document on fd 3 (base64 has no `_`,
//     so it cannot end the here-document early), or /dev/null;
//   - sudo's password, when one is needed, is handed over by an askpass helper reading a FIFO
//     that the agent feeds from memory: never in a command line, never on disk, never left on
//     the stdin of a command whose sudo did not ask (NOPASSWD).
// Requests are shell text built only from shellQuote'd words. Pure functions: tested alone.
import { shellQuote } from '../quote.js';

/** The tools the agent needs besides the shell's builtins; missing one means exec per command. */
const NEEDS = ['setsid', 'base64', 'cat', 'rm', 'mkdir', 'mktemp', 'mkfifo', 'chmod', 'mv'];

/** Every this many commands the agent removes the finished commands' files (one `rm` for many). */
export const SWEEP_EVERY = 32;

/** The line run on the host (by its login shell) to start the agent: the script follows on stdin. */
export const AGENT_LAUNCH = 'exec /bin/sh -s';

/** The agent script for one session; `nonce` prefixes every header it writes. */
export function agentScript(nonce: string): string {
  const h = `HBX${nonce}`;
  return `${[
    // The commands run with the login's umask; the agent's own files are private.
    'HBU=$(umask)',
    'umask 077',
    `for c in ${NEEDS.join(' ')}; do command -v "$c" >/dev/null 2>&1 || { printf '${h} NO missing-%s\\n' "$c"; exit 0; }; done`,
    'T=$(mktemp -d "${TMPDIR:-/tmp}/.herdbook-exec.XXXXXXXX") || { printf \'' + h + " NO mktemp\\n'; exit 0; }",
    // The directory is written into requests and askpass unquoted-safe only if it is plain.
    `case $T in *[!A-Za-z0-9_./-]*) rm -rf "$T"; printf '${h} NO tmpdir\\n'; exit 0;; esac`,
    `trap 'rm -rf "$T"' EXIT`,
    "trap 'exit 129' HUP",
    "trap 'exit 143' TERM",
    "trap 'exit 141' PIPE",
    // The askpass helper and its FIFO, made the first time a command needs the become password
    // (two processes fewer at every start of a session that never needs them). sudo -A runs the
    // helper as the login user: the first call reads the password, a second one means sudo
    // rejected it (it asks again): say so and give up instead of waiting on the FIFO.
    'hbp() {',
    '  [ -e "$T/askpass" ] && return 0',
    '  mkfifo "$T/pw" || return 1',
    `  printf '#!/bin/sh\\n[ -e %s/asked ] && { : > %s/refused; exit 1; }\\n: > %s/asked\\nexec cat %s/pw\\n' "$T" "$T" "$T" "$T" > "$T/askpass.new"`,
    '  chmod 700 "$T/askpass.new" && mv -f "$T/askpass.new" "$T/askpass"',
    '}',
    // The command in a session of its own, with the login's umask: $1 the line, $2 1 when it is
    // one simple command. Only ever run in the background (or as a pipeline's last part), so in a
    // forked shell: its umask and exec stay there, and the command keeps that shell's pid.
    'hbr() { umask "$HBU"; if [ "$2" = 1 ]; then eval "exec setsid $1"; else exec setsid /bin/sh -c "$1"; fi; }',
    // $1 id, $2 1 when the command's stdin is base64 on fd 3 (a here-document), $3 1 when the
    // password is in $HBP, $4 the command line, $5 1 when that line is a single simple command
    // made of quoted words.
    'hbx() {',
    '  if [ "$3" = 1 ]; then',
    '    hbp',
    '    rm -f "$T/asked" "$T/refused"',
    '    ( printf \'%s\\n\' "$HBP" > "$T/pw" ) &',
    '    HBW=$!',
    '  fi',
    '  HBP=',
    // A line that is one simple command (the usual case) is exec'd by setsid itself: one sh less.
    // Given stdin comes through a pipe, as over a channel of its own: a file there would be read
    // from its start by a command that maps it (wget --input-file=- does), env values included.
    // Decoded straight into that pipe (no file, no cat); fd 3 named explicitly, since an
    // asynchronous list's own stdin is /dev/null.
    '  if [ "$2" = 1 ]; then',
    '    base64 -d <&3 2>/dev/null | hbr "$4" "$5" > "$T/o.$1" 2> "$T/e.$1" &',
    '  else',
    '    hbr "$4" "$5" < /dev/null > "$T/o.$1" 2> "$T/e.$1" &',
    '  fi',
    '  HBC=$!',
    `  printf '${h} S %s %s\\n' "$1" "$HBC"`,
    '  wait "$HBC"',
    '  HBR=$?',
    '  if [ "$3" = 1 ]; then kill "$HBW" 2>/dev/null; wait "$HBW" 2>/dev/null; fi',
    '  HBF=-',
    '  [ "$3" = 1 ] && [ -e "$T/refused" ] && HBF=r',
    // The header, then stdout, a separator, stderr, the separator again. The separator holds the
    // session's nonce, which no command can read, so no output can end a part early; `cat` sends
    // the files as they are now (a daemon left behind may append later: that is not sent). Both
    // empty (test's -s is a builtin): no process at all.
    `  printf '${h} D %s %s %s\\n' "$1" "$HBR" "$HBF"`,
    '  if [ -s "$T/o.$1" ] || [ -s "$T/e.$1" ]; then',
    `    cat "$T/o.$1" - "$T/e.$1" <<'HBX_SEP'`,
    `${h}-SEP`,
    'HBX_SEP',
    '  else',
    `    printf '${h}-SEP\\n'`,
    '  fi',
    `  printf '${h}-SEP\\n'`,
    // The sweep comes after the answer (when stdin still came through a file written ahead of the
    // call, a sweep before the command removed it).
    `  if [ $(($1 % ${SWEEP_EVERY})) -eq 0 ]; then rm -f "$T"/o.* "$T"/e.*; fi`,
    '}',
    `printf '${h} R %s\\n' "$T"`,
  ].join('\n')}\n`;
}

export type AgentRequest = {
  id: number;
  /** The command line the child's `/bin/sh -c` runs (cwd, env prologue and sudo included). */
  line: string;
  stdin?: Buffer;
  /** Fed to the askpass FIFO for this command only (the line uses `sudo -A`). */
  becomePassword?: string;
  /** The line is one simple command of shellQuote'd words (no `cd ... &&`): setsid execs it directly. */
  simple?: boolean;
};

/** base64 in lines of 76, as base64(1) writes it. */
function base64Lines(data: Buffer): string {
  const b = data.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < b.length; i += 76) lines.push(b.slice(i, i + 76));
  return lines.join('\n');
}

/** The shell text that runs one command in the agent. */
export function agentRequest(r: AgentRequest): string {
  let text = '';
  const stdin = r.stdin && r.stdin.length > 0 ? r.stdin : undefined;
  const pw = r.becomePassword !== undefined;
  // HBP is an assignment in the agent's own shell, and printf in its subshell a builtin: the value
  // never appears in any process's argv.
  if (pw) text += `HBP=${shellQuote(r.becomePassword!)}\n`;
  text += `hbx ${r.id} ${stdin ? 1 : 0} ${pw ? 1 : 0} ${shellQuote(r.line)} ${r.simple ? 1 : 0}`;
  text += stdin ? ` 3<<'HBX_EOF'\n${base64Lines(stdin)}\nHBX_EOF\n` : '\n';
  return text;
}
