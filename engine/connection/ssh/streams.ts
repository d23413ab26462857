// Output plumbing for exec channels: a bounded sink that still streams every chunk, the filter
// that takes the login shell's pid line off stderr, and signal requests.
import { constants } from 'node:os';
import type { ClientChannel } from 'ssh2';

/** Takes the login shell's pid line off the front of stderr. */
export function pidFilter(marker: string) {
  let pending: Buffer | undefined = Buffer.alloc(0);
  let pid: number | undefined;
  return {
    pid: () => pid,
    push(chunk: Buffer): Buffer {
      if (!pending) return chunk;
      const all = Buffer.concat([pending, chunk]);
      const nl = all.indexOf(10);
      if (nl < 0 && all.length < 200) {
        pending = all;
        return Buffer.alloc(0);
      }
      pending = undefined;
      const m = new RegExp(`^${marker} (\\d+)$`).exec(all.subarray(0, Math.max(nl, 0)).toString('latin1'));
      if (!m) return all;
      pid = Number(m[1]);
      return all.subarray(nl + 1);
    },
    flush(): Buffer {
      const rest = pending ?? Buffer.alloc(0);
      pending = undefined;
      return rest;
    },
  };
}

export class Sink {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(
    private readonly max: number,
    private readonly onChunk?: (c: Buffer) => void,
  ) {}
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.onChunk?.(chunk);
    const room = this.max - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (kept !== chunk) this.truncated = true;
    // Copy: ssh2 may reuse the chunk's memory after the event.
    this.chunks.push(Buffer.from(kept));
    this.size += kept.length;
  }
  buffer(): Buffer {
    return Buffer.concat(this.chunks, this.size);
  }
}

export function signalRc(name: string): number {
  const n = (constants.signals as Record<string, number>)[name];
  return 128 + (n ?? 0);
}

type ChannelInternals = { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, sig: string): void } } };

/**
 * ssh2's `channel.signal()` does nothing once our side has sent EOF (stdin ended), which is
 * always the case here; the protocol itself allows it, so send the request directly.
 */
export function sendSignal(ch: ClientChannel, name: string): void {
  const c = ch as unknown as ChannelInternals;
  const state = c.outgoing?.state;
  if ((state === 'open' || state === 'eof') && c._client?._protocol) c._client._protocol.signal(c.outgoing!.id, name);
  else ch.signal(name);
}
