// The baseline herdbook is compared with: the same commands spawned directly, task after
// task, at most `concurrency` at once within a task (herdbook's linear strategy and forks).
import { spawn } from 'node:child_process';
import pLimit from 'p-limit';

function runOne(argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // Same spawn shape as the local connection: pipes for all three streams, own process
    // group, and a copy of the environment taken once (as the connection does).
    const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], detached: true, env });
    child.stdout.resume();
    child.stderr.resume();
    child.stdin.end();
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

export async function spawnLoop(
  argv: readonly string[],
  tasks: number,
  hosts: number,
  concurrency: number,
): Promise<void> {
  const limit = pLimit(concurrency);
  const env = { ...process.env };
  for (let t = 0; t < tasks; t++) {
    const codes = await Promise.all(Array.from({ length: hosts }, () => limit(() => runOne(argv, env))));
    const bad = codes.find((c) => c !== 0);
    if (bad !== undefined) throw new Error(`${argv.join(' ')} exited ${bad}`);
  }
}
