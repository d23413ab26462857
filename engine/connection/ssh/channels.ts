// Channels share one connection, and the server caps how many sessions it holds open at once
// (sshd's MaxSessions, 10 by default). When it refuses a channel we learn the cap and queue
// until one of ours closes; a command is never failed only because the server was busy.
import { setTimeout as sleep } from 'node:timers/promises';
import { isChannelOpenFailure } from './classify.js';

export type ChannelGateOptions = {
  onRefused?: (open: number) => void;
  /** How long to keep retrying while none of our channels is open to wait for (default 30 s). */
  idleRetryMs?: number;
};

export class ChannelGate {
  /** Channels the server confirmed and we have not closed. */
  private open = 0;
  /** Open requests sent and not answered yet. */
  private pending = 0;
  private limit = Number.POSITIVE_INFINITY;
  private waiters: (() => void)[] = [];
  private readonly opts: ChannelGateOptions;

  constructor(opts: ChannelGateOptions = {}) {
    this.opts = opts;
  }

  get inUse(): number {
    return this.open;
  }

  private nextRelease(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Opens a channel through `openFn`, waiting for a free slot; call `release` when it closes. */
  async acquire<T>(openFn: () => Promise<T>): Promise<T> {
    const idleDeadline = Date.now() + (this.opts.idleRetryMs ?? 30_000);
    let idleDelay = 20;
    for (;;) {
      while (this.open + this.pending >= this.limit) await this.nextRelease();
      this.pending++;
      let opened: T;
      try {
        opened = await openFn();
      } catch (e) {
        this.pending--;
        if (!isChannelOpenFailure(e)) {
          this.wakeOne();
          throw e;
        }
        this.opts.onRefused?.(this.open);
        if (this.open > 0) {
          // The server answers in order: what it had confirmed before refusing is its limit.
          this.limit = this.open;
          await this.nextRelease();
        } else {
          // Refused with none of ours open: someone else holds the sessions; back off and retry.
          if (Date.now() > idleDeadline) throw e;
          await sleep(idleDelay);
          idleDelay = Math.min(idleDelay * 2, 1000);
        }
        continue;
      }
      this.pending--;
      this.open++;
      return opened;
    }
  }

  release(): void {
    this.open--;
    this.wakeOne();
  }

  private wakeOne(): void {
    this.waiters.shift()?.();
  }

  /** The connection is gone: let every waiter run into the failure. */
  wakeAll(): void {
    const w = this.waiters;
    this.waiters = [];
    this.limit = Number.POSITIVE_INFINITY;
    for (const resolve of w) resolve();
  }
}
