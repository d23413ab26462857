// All of a control plane's processes in one process group, so that stopping it is one
// signal to the group and nothing is left behind. Node can only start a child in a new
// session (`detached`), one group per child; so one detached `sh` leads the group and
// starts each process on request, and they inherit its group. Arguments reach the shell
// as data (one per line on its stdin), never as shell text. When its stdin closes, because
// the owner stopped or died, even by SIGKILL, the leader takes the whole group down.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { RealKubeError } from './archive.js';
import { groupMembers, isRunning } from './procfs.js';

const LEADER = `
while IFS= read -r log && IFS= read -r count; do
  set --
  i=0
  while [ "$i" -lt "$count" ] && IFS= read -r arg; do set -- "$@" "$arg"; i=$((i + 1)); done
  "$@" >>"$log" 2>&1 </dev/null &
  echo "$!"
done
trap '' TERM
kill -TERM 0
sleep 2
kill -KILL 0
`;

export class ProcessGroup {
  private readonly lines: AsyncIterator<string>;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly leader: ChildProcess,
    private readonly rl: Interface,
    readonly pgid: number,
  ) {
    this.lines = rl[Symbol.asyncIterator]();
  }

  static start(env: NodeJS.ProcessEnv = process.env): ProcessGroup {
    const leader = spawn('/bin/sh', ['-c', LEADER], { detached: true, stdio: ['pipe', 'pipe', 'ignore'], env });
    if (!leader.pid) throw new RealKubeError('cannot start /bin/sh to lead the control plane process group');
    // Writes to a leader that died are reported by spawn()'s answer; the stream error itself is noise.
    leader.stdin.on('error', () => undefined);
    return new ProcessGroup(leader, createInterface({ input: leader.stdout }), leader.pid);
  }

  /** Starts argv in the group with stdout and stderr appended to logFile; resolves to its pid. */
  spawn(argv: string[], logFile: string): Promise<number> {
    for (const a of [logFile, ...argv])
      if (a.includes('\n')) throw new RealKubeError(`an argument holds a newline: ${JSON.stringify(a)}`);
    const next = this.queue.then(async () => {
      this.leader.stdin!.write([logFile, String(argv.length), ...argv].map((a) => a + '\n').join(''));
      const line = await this.lines.next();
      const pid = Number(line.done ? NaN : line.value);
      if (!Number.isInteger(pid) || pid <= 0)
        throw new RealKubeError(`the process group leader did not start ${argv[0]}`);
      return pid;
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  running(pid: number): boolean {
    return isRunning(pid);
  }

  /** Pids of every live process in the group (the leader included while it lives). */
  members(): number[] {
    return groupMembers(this.pgid);
  }

  /** SIGTERM to the group, graceMs for it to go (kube-apiserver takes seconds), then SIGKILL. */
  async stop(graceMs = 2000): Promise<void> {
    this.rl.close();
    this.signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (this.members().length && Date.now() < deadline) await sleep(50);
    this.signal('SIGKILL');
    const gone = Date.now() + 5000;
    while (this.members().length && Date.now() < gone) await sleep(20);
    this.leader.stdin!.destroy();
  }

  /** For a synchronous 'exit' handler: no grace is possible there. */
  killNow(): void {
    this.signal('SIGKILL');
  }

  private signal(sig: NodeJS.Signals): void {
    try {
      process.kill(-this.pgid, sig);
    } catch {
      // ESRCH: the group is already empty.
    }
  }
}
