// Killing a command's whole process tree from outside it: what a timeout or Ctrl-C does to a
// command the executor started (ssh and pct alike).

/**
 * Kills a command's whole process tree: the process group, and what left it (sudo's use_pty puts
 * the command in a session of its own). Collected first, because killing parents reparents children.
 */
export function killTreeScript(pid: number): string {
  return [
    `all=${pid}; new=${pid}`,
    'while [ -n "$new" ]; do',
    '  next=""',
    '  for f in /proc/[0-9]*/stat; do',
    '    read -r s < "$f" 2>/dev/null || continue',
    '    set -- ${s##*) }',
    '    for p in $new; do if [ "$2" = "$p" ]; then q=${f#/proc/}; next="$next ${q%/stat}"; fi; done',
    '  done',
    '  all="$all $next"; new=$next',
    'done',
    // dash's kill takes no `--`; a negative pid names the process group.
    `kill -KILL $all 2>/dev/null; kill -KILL -${pid} 2>/dev/null`,
    'exit 0',
  ].join('\n');
}
