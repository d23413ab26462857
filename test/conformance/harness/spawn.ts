// A child process with its output collected, a hard time limit, and the CPU time it and its
// children used (through /usr/bin/time where there is one): on a shared machine the wall time
// says little, the CPU time what a case costs.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';

export type Spawned = { code: number | null; stdout: string; stderr: string; durationMs: number; cpuMs?: number };

const TIME = '/usr/bin/time';

export function run(
  cmd: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number; cpuFile?: string },
): Promise<Spawned> {
  const started = Date.now();
  const timed = opts.cpuFile !== undefined && existsSync(TIME);
  const [file, argv] = timed ? [TIME, ['-f', '%U %S', '-o', opts.cpuFile!, cmd, ...args]] : [cmd, args];
  return new Promise((resolve, reject) => {
    // Its own process group: a time limit kills the tool and every process it started.
    const child = spawn(file, argv, {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => {
      stderr += `\n[conformance] killed after ${opts.timeoutMs} ms\n`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({
        code,
        stdout,
        stderr,
        durationMs: Date.now() - started,
        cpuMs: timed ? cpuOf(opts.cpuFile!) : undefined,
      });
    });
  });
}

function cpuOf(file: string): number | undefined {
  try {
    const [user, sys] = readFileSync(file, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    rmSync(file, { force: true });
    return Number.isFinite(user + sys) ? Math.round((user + sys) * 1000) : undefined;
  } catch {
    return undefined;
  }
}
