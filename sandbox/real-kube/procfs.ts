// What Linux's /proc says about processes: their state, their group, their memory. A
// child that exited stays a zombie until its parent reaps it, and kill(pid, 0) still
// succeeds on a zombie, so liveness is read from the state letter instead.
import { readdirSync, readFileSync } from 'node:fs';

type Stat = { pid: number; state: string; pgid: number };

function stat(pid: number): Stat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  return { pid, state: rest[0], pgid: Number(rest[2]) };
}

/** True while the process exists and has not exited (is not a zombie). */
export function isRunning(pid: number): boolean {
  const s = stat(pid);
  return s !== undefined && s.state !== 'Z' && s.state !== 'X';
}

/** Live (non-zombie) processes whose process group is pgid. */
export function groupMembers(pgid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = stat(Number(name));
    if (s && s.pgid === pgid && s.state !== 'Z' && s.state !== 'X') out.push(s.pid);
  }
  return out;
}

/** Resident memory of the given processes together, in bytes (VmRSS). */
export function rssBytes(pids: number[]): number {
  let kib = 0;
  for (const pid of pids) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) kib += Number(m[1]);
    } catch {
      // The process exited between the listing and the read.
    }
  }
  return kib * 1024;
}
