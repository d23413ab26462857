// Peak memory of processes the bench does not own as one child: the sum of the resident set
// sizes of a process tree plus every process whose command line names a marker (OpenSSH
// ControlPersist masters leave their parent's tree), sampled from /proc.
import { readdirSync, readFileSync } from 'node:fs';

const PAGE = 4096;

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** ppid of each live process, and the pids whose command line contains `marker`. */
function scan(marker: string | undefined): { parent: Map<number, number>; marked: number[] } {
  const parent = new Map<number, number>();
  const marked: number[] = [];
  for (const d of readdirSync('/proc')) {
    const pid = Number(d);
    if (!Number.isInteger(pid)) continue;
    const stat = read(`/proc/${pid}/stat`);
    if (!stat) continue;
    // The command name may hold spaces and parentheses: fields start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(pid, Number(fields[1]));
    if (marker && read(`/proc/${pid}/cmdline`)?.includes(marker)) marked.push(pid);
  }
  return { parent, marked };
}

function rssBytes(pid: number): number {
  const statm = read(`/proc/${pid}/statm`);
  return statm ? Number(statm.split(' ')[1]) * PAGE : 0;
}

/** Every pid below `roots` (roots included). */
function tree(roots: number[], parent: Map<number, number>): Set<number> {
  const out = new Set(roots);
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!out.has(pid) && out.has(ppid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return out;
}

export type RssSampler = { stop(): number };

/** Samples every `everyMs` until stop(), which returns the peak total in MiB. */
export function sampleRss(opts: { roots: () => number[]; marker?: string; everyMs?: number }): RssSampler {
  let peak = 0;
  const tick = () => {
    const { parent, marked } = scan(opts.marker);
    const pids = tree([...opts.roots(), ...marked], parent);
    let sum = 0;
    for (const p of pids) sum += rssBytes(p);
    peak = Math.max(peak, sum);
  };
  tick();
  const timer = setInterval(tick, opts.everyMs ?? 200);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peak / (1024 * 1024);
    },
  };
}
