// The sandbox's long-lived helpers (API simulator, k3s release server) run as detached node
// processes that outlive `herdbook sandbox up`; each writes its own pid and url files.
import { spawn } from 'node:child_process';
import { open, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export async function startDetached(
  script: string,
  args: string[],
  logFile: string,
  ready: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<number> {
  const log = await open(logFile, 'a');
  const child = spawn(process.execPath, [script, ...args], { detached: true, stdio: ['ignore', log.fd, log.fd] });
  await log.close();
  // Its exit code once it has ended (1 when a signal ended it).
  const exited = (): number | null => child.exitCode ?? (child.signalCode ? 1 : null);
  child.unref();
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await ready()) return child.pid!;
    if (exited() !== null) break;
    await sleep(50);
  }
  // Not ready in time: it must not outlive the failed start (kube-apiserver needs the longer grace).
  if (exited === null) await stopPid(child.pid, 8000);
  const text = await readFile(logFile, 'utf8').catch(() => '');
  throw new Error(
    `${what} did not start${exited() !== null ? ` (exit ${exited()})` : ''}:\n${text.split('\n').slice(-10).join('\n')}`,
  );
}

export function alive(pid: number | undefined): boolean {
  if (!pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function stopPid(pid: number | undefined, graceMs = 3000): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid!, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await sleep(50);
  if (alive(pid)) process.kill(pid!, 'SIGKILL');
}
