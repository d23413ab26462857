// The agent as a child process of ours: for the `local` connection, and for `pct exec` on a
// Proxmox node reached locally. `argv` starts the shell that reads the agent script on stdin.
import { spawn } from 'node:child_process';
import type { AgentProcess } from '../types.js';

export function spawnAgent(argv: readonly string[] = ['/bin/sh', '-s'], env?: NodeJS.ProcessEnv): AgentProcess {
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
  const ended = new Promise<void>((resolve) => {
    child.once('close', () => resolve());
    child.once('error', () => resolve());
  });
  child.stdin.on('error', () => undefined);
  return {
    write: (text) => void child.stdin.write(text),
    stdout: child.stdout,
    stderr: child.stderr,
    ended,
    end: () => {
      child.stdin.end();
      child.kill('SIGTERM');
    },
  };
}
