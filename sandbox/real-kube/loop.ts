// A background job that runs on a timer and on demand, never twice at once: a kick during
// a run asks for one more run right after it, however many kicks came. Errors go to a
// callback and the loop goes on (the API server may be restarting, or shutting down).
import { setTimeout as sleep } from 'node:timers/promises';

export class Coalesced {
  private running: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private wake: { atMs: number; timer: NodeJS.Timeout } | undefined;

  constructor(
    private readonly fn: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly onError: (e: unknown) => void,
  ) {}

  start(): void {
    this.kick();
  }

  /** Run now (or right after the current run). */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.run();
  }

  /** Run at `atMs` unless something runs before; the earliest request wins. */
  wakeAt(atMs: number): void {
    if (this.stopped || (this.wake && this.wake.atMs <= atMs && this.wake.atMs > Date.now())) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(
      () => {
        this.wake = undefined;
        this.kick();
      },
      Math.max(0, atMs - Date.now()),
    );
    this.wake = { atMs, timer };
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.fn();
      } catch (e) {
        if (!this.stopped) this.onError(e);
        // A failing API: do not spin.
        await sleep(200);
      }
    } while (this.again && !this.stopped);
    this.running = undefined;
    if (!this.stopped) this.timer = setTimeout(() => this.kick(), this.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.wake) clearTimeout(this.wake.timer);
    await this.running;
  }
}
