// One control plane process: started in the group with its output in a log file, and,
// when it dies, the end of that log as the reason, because kube-apiserver and friends say
// what went wrong there and nowhere else.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ProcessGroup } from './process-group.js';

export type Component = { name: string; pid: number; log: string };

export async function startComponent(
  group: ProcessGroup,
  name: string,
  argv: string[],
  logDir: string,
): Promise<Component> {
  const log = path.join(logDir, `${name}.log`);
  return { name, pid: await group.spawn(argv, log), log };
}

/** The last `lines` lines of a log file ('' when it cannot be read). */
export function logTail(file: string, lines = 20): string {
  try {
    const text = readFileSync(file, 'utf8').trimEnd();
    return text.split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

/** undefined while the component runs; otherwise "<name> exited" and the end of its log. */
export function died(group: ProcessGroup, c: Component): string | undefined {
  if (group.running(c.pid)) return undefined;
  return `${c.name} exited; ${logEnd(c)}`;
}

/** "the end of <log>:" and its last lines, for an error message. */
export function logEnd(c: Component): string {
  return `the end of ${c.log}:\n${logTail(c.log)}`;
}

/** Sends `signal` to the named component (SIGSTOP/SIGCONT to pause one); throws when it is not running. */
export function signalComponent(
  cp: { components: Component[]; group: ProcessGroup },
  name: string,
  signal: NodeJS.Signals,
): void {
  const c = cp.components.find((x) => x.name === name);
  if (!c || !cp.group.running(c.pid)) throw new Error(`${name} is not running`);
  process.kill(c.pid, signal);
}
