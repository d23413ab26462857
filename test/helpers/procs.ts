// Local processes by command line: to prove a sandbox or fleet left nothing running.
import { readdirSync, readFileSync } from 'node:fs';

/** The pids of local processes whose command line contains `text`. */
export function processesMentioning(text: string): string[] {
  return readdirSync('/proc').filter((p) => {
    try {
      return /^\d+$/.test(p) && readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  });
}
