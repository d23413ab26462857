// Run the compiled CLI as a user would (a fresh node process), optionally with a CPU profile.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** bin/herdbook.js of this checkout, found upwards from dist/bench/lib/ (or bench/lib/). */
export function herdbookBin(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++, dir = path.dirname(dir)) {
    const bin = path.join(dir, 'bin/herdbook.js');
    if (existsSync(bin)) return bin;
  }
  throw new Error('cannot find bin/herdbook.js above the benchmark');
}

export type CliRun = { code: number | null; events: number; stderr: string };

export function runCli(args: string[], opts: { cpuProfDir?: string } = {}): Promise<CliRun> {
  const node = [...(opts.cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', opts.cpuProfDir] : []), herdbookBin(), ...args];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, node, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
    let events = 0;
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => {
      for (const c of b) if (c === 10) events++;
    });
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, events, stderr }));
  });
}
