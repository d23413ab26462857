// Channels share one connection, and the server caps how many sessions it holds open at once
// (sshd's MaxSessions, 10 by default). When it refuses a channel we learn the cap and queue
// until one of ours closes; a command is never failed only because the server was busy.
import { setTimeout as sleep } from 'node:timers/promises';
import { isChannelOpenFailure } from './classify.js';

export type ChannelGateOptions = {
  onRefused?: (open: number) => void;
  /** How long to keep retrying refusals that waiting for our own channels cannot explain (default 30 s). */
  idleRetryMs?: number;
};

export class ChannelGate {
  /** Channels the server confirmed and we have not closed. */
  private open = 0;
  /** Sequence numbers of open requests sent and not answered yet. */
  private pending = new Set<number>();
  private seq = 0;
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

  /**
   * The sessions the server held when it refused request `seq`: it answers in order, so every
   * request sent before it was already counted, even if its exec reply has not reached us yet.
   */
  private heldAt(seq: number): number {
    let earlier = 0;
    for (const p of this.pending) if (p < seq) earlier++;
    return this.open + earlier;
  }

  /** Opens a channel through `openFn`, waiting for a free slot; call `release` when it closes. */
  async acquire<T>(openFn: () => Promise<T>): Promise<T> {
    let lagSince: number | undefined;
    let lagDelay = 5;
    for (;;) {
      while (this.open + this.pending.size >= this.limit) await this.nextRelease();
      const seq = ++this.seq;
      this.pending.add(seq);
      let opened: T;
      try {
        opened = await openFn();
      } catch (e) {
        const held = this.heldAt(seq);
        this.pending.delete(seq);
        if (!isChannelOpenFailure(e)) {
          this.wakeOne();
          throw e;
        }
        this.opts.onRefused?.(held);
        // Never lower it: a session we closed may still count on the server for a moment.
        if (held > 0) this.limit = this.limit === Number.POSITIVE_INFINITY ? held : Math.max(this.limit, held);
        if (this.open > 0 && this.open >= this.limit) {
          lagSince = undefined;
          lagDelay = 5;
          await this.nextRelease();
        } else {
          // Refused below the limit: sshd frees a closed session just after the close, or someone
          // else holds the sessions. Back off briefly and retry. While channels of ours were open
          // or asked for before this one, they explain the refusal and will close: keep waiting
          // (a loaded machine once starved a queued command past the limit this way). Only
          // refusals nothing of ours explains count towards giving up.
          if (held > 0) lagSince = undefined;
          else lagSince ??= Date.now();
          if (lagSince !== undefined && Date.now() - lagSince > (this.opts.idleRetryMs ?? 30_000)) throw e;
          await sleep(lagDelay);
          lagDelay = Math.min(lagDelay * 2, 500);
        }
        continue;
      }
      this.pending.delete(seq);
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
