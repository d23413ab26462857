// The shape every benchmark of `npm run bench` has: a name for --only, a run that prints its
// figures as it goes and hands back summary rows (figure, ratio to its baseline, target).
import type { AnsibleRunner } from './ansible.js';
import type { BenchFleet } from './fleet.js';

export type SuiteOptions = {
  /** Fewer repetitions and smaller sizes: a smoke run of the whole suite. */
  quick: boolean;
  /** Timed repetitions of herdbook and of each baseline (the median is reported). */
  runs: number;
  /** Repetitions of Ansible runs (slow: one by default). */
  ansibleRuns: number;
  /** Fleet sizes for the fan-out measurement. */
  nodes: number[];
  /** Write CPU profiles of herdbook runs here (node --cpu-prof) and print their hottest functions. */
  cpuProf?: string;
  /** Skip the Ansible column even when it could be installed. */
  noAnsible: boolean;
  /** Fleet nodes keep the machine's /root (its dotfiles run on every command) instead of an empty one. */
  realHome: boolean;
};

export type SummaryRow = {
  /** What was measured ("50 command tasks × 8 nodes"). */
  what: string;
  /** herdbook's own figure, formatted ("412 ms"). */
  figure: string;
  /** The ratio to the baseline, formatted ("0.41× the floor"). */
  ratio?: string;
  /** The target from the issue, as text, and whether this run met it. */
  target?: string;
  met?: boolean;
};

/** What the benchmarks of one `npm run bench` share: the fleet (started once, at its largest size) and Ansible. */
export type SuiteContext = {
  opts: SuiteOptions;
  log: (line: string) => void;
  /** A scratch directory, removed at the end. */
  workDir: string;
  fleet(): Promise<BenchFleet>;
  /** The Ansible runner, or undefined with the reason printed once. */
  ansible(): AnsibleRunner | undefined;
  /** Ansible with Mitogen's strategy, or undefined with the reason printed once. */
  mitogen(): AnsibleRunner | undefined;
};

export type Bench = {
  name: string;
  title: string;
  run(ctx: SuiteContext): Promise<SummaryRow[]>;
};

export function ratioText(x: number, of: string): string {
  if (!Number.isFinite(x)) return `n/a (${of})`;
  return `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}× ${of}`;
}
