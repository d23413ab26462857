// Process-tree helpers over /proc: the fleet stops sshd by pid (also from a later process)
// and tests find the per-connection sshd processes to kill a connection mid-command.
import { readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

async function parentOf(pid: number): Promise<number | undefined> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // The command name may hold spaces and parentheses: fields resume after the last ')'.
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(rest[1]);
  return Number.isInteger(ppid) ? ppid : undefined;
}

/** All processes below `pid` (children first-level first), not `pid` itself. */
export async function descendants(pid: number): Promise<number[]> {
  const pids = (await readdir('/proc')).filter((n) => /^\d+$/.test(n)).map(Number);
  const children = new Map<number, number[]>();
  for (const p of pids) {
    const ppid = await parentOf(p);
    if (ppid === undefined) continue;
    children.set(ppid, [...(children.get(ppid) ?? []), p]);
  }
  const out: number[] = [];
  const queue = [...(children.get(pid) ?? [])];
  while (queue.length > 0) {
    const p = queue.shift()!;
    out.push(p);
    queue.push(...(children.get(p) ?? []));
  }
  return out;
}

/** Running (a zombie counts as gone: in containers PID 1 may never reap orphans). */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export async function commandLine(pid: number): Promise<string[]> {
  const raw = await readFile(`/proc/${pid}/cmdline`).catch(() => Buffer.alloc(0));
  return raw
    .toString('utf8')
    .split('\0')
    .filter((w) => w !== '');
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

/** SIGTERM `pid` and everything below it, then SIGKILL what is left after `graceMs`. */
export async function killTree(pid: number, graceMs = 2000): Promise<void> {
  const all = [pid, ...(await descendants(pid))];
  for (const p of all) signal(p, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (all.some(isAlive) && Date.now() < deadline) await sleep(20);
  for (const p of all) if (isAlive(p)) signal(p, 'SIGKILL');
  while (all.some(isAlive) && Date.now() < deadline + 2000) await sleep(20);
}
