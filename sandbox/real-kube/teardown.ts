// Control planes die with the process that started them: on exit (synchronously, so with
// SIGKILL and no grace), and on SIGINT/SIGTERM (with the grace, then the signal's default
// action, unless the program has its own handler). This registry is process-wide on
// purpose: it exists for the code paths that forgot or could not call close().
import { rmSync } from 'node:fs';

export type Stoppable = {
  /** Graceful stop: signals, a grace period, data removed. */
  stop(): Promise<void>;
  /** Last resort, synchronous: SIGKILL and remove the data. */
  killNow(): void;
};

const live = new Set<Stoppable>();
let installed = false;

function onExit(): void {
  for (const s of live) s.killNow();
  live.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  const all = [...live];
  live.clear();
  void Promise.allSettled(all.map((s) => s.stop())).then(() => {
    // Alone on this signal: do what the signal would have done without us.
    if (process.listenerCount(signal) === 1) {
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    }
  });
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

export function track(s: Stoppable): void {
  install();
  live.add(s);
}

export function untrack(s: Stoppable): void {
  live.delete(s);
}

/** rm -rf that never throws, for synchronous teardown. */
export function removeQuietly(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    // Best effort: a process killed a moment ago may still be closing files.
  }
}
