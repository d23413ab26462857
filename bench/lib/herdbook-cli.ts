// Run the compiled CLI as a user would (a fresh node process): wall time, the number of NDJSON
// lines it printed, its peak RSS (exact, from a preload), optionally with a CPU profile.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** bin/herdbook.js of this checkout, found upwards from dist/bench/lib/ (or bench/lib/). */
export function herdbookBin(): string {
  let dir = HERE;
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin/herdbook.js');
    if (existsSync(bin)) return bin;
  }
  throw new Error('cannot find bin/herdbook.js above the benchmark');
}

/** The checkout's root (where bin/, playbooks/ and inventory/ are). */
export function repoRoot(): string {
  return path.dirname(path.dirname(herdbookBin()));
}

export type CliRun = {
  code: number | null;
  events: number;
  stderr: string;
  wallMs: number;
  rssMb?: number;
  failures: string[];
};

export type CliOptions = { cpuProfDir?: string; cwd?: string; rss?: boolean; env?: NodeJS.ProcessEnv };

/** Runs `node <args>` (a script and its arguments), timing it from spawn to exit. */
export function runNode(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  const rssDir = opts.rss ? mkdtempSync(path.join(os.tmpdir(), 'hb-bench-rss-')) : undefined;
  const rssFile = rssDir && path.join(rssDir, 'rss');
  const preload = opts.rss ? ['--import', path.join(HERE, 'report-rss.js')] : [];
  const prof = opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : [];
  const env = { ...process.env, NO_COLOR: '1', ...opts.env, ...(rssFile ? { HERDBOOK_BENCH_RSS_FILE: rssFile } : {}) };
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...preload, ...prof, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env,
      cwd: opts.cwd,
    });
    let events = 0;
    let stderr = '';
    let tail = '';
    const failures: string[] = [];
    child.stdout.on('data', (b: Buffer) => {
      for (const c of b) if (c === 10) events++;
      // Keep the failed and unreachable results (NDJSON), to say why a run did not succeed.
      const lines = (tail + b.toString()).split('\n');
      tail = lines.pop() ?? '';
      for (const l of lines)
        if (failures.length < 5 && /"status":"(failed|unreachable)"/.test(l)) failures.push(l.slice(0, 1000));
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = performance.now() - started;
      let rssMb: number | undefined;
      if (rssDir) {
        const kib = Number(readFileSync(rssFile!, 'utf8'));
        rssMb = kib / 1024;
        rmSync(rssDir, { recursive: true, force: true });
      }
      resolve({ code, events, stderr, wallMs, rssMb, failures });
    });
  });
}

export function runCli(args: string[], opts: CliOptions = {}): Promise<CliRun> {
  return runNode([herdbookBin(), ...args], opts);
}

/** A `herdbook run` that must succeed with `expectedEvents` NDJSON lines (when given). */
export async function runPlaybook(
  args: string[],
  expectedEvents: number | undefined,
  opts: CliOptions = {},
): Promise<CliRun> {
  const r = await runCli(['run', ...args, '--output', 'json'], opts);
  if (r.code !== 0)
    throw new Error(`herdbook ${args.join(' ')} exited ${r.code}: ${r.stderr.slice(-2000)}${r.failures.join('\n')}`);
  if (expectedEvents !== undefined && r.events !== expectedEvents)
    throw new Error(`herdbook ${args.join(' ')}: expected ${expectedEvents} events, got ${r.events}`);
  return r;
}
