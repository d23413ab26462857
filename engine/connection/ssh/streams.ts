// Output plumbing for exec channels: a bounded sink that still streams every chunk, the filter
// that takes the login shell's pid line off stderr, and signal requests.
import { constants } from 'node:os';
import type { ClientChannel } from 'ssh2';
import { markerLine } from '../marker-line.js';

/**
 * Takes the login shell's pid line off stderr. Its absence at the end means the login shell never
 * ran our command line (nologin, a forced command, a broken shell).
 */
export function pidFilter(marker: string) {
  const m = markerLine(marker, /^\d+$/);
  return {
    pid: (): number | undefined => (m.payload() === undefined ? undefined : Number(m.payload())),
    started: m.found,
    push: m.push,
    flush: m.flush,
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

type ChannelInternals = {
  outgoing?: { id: number; state: string };
  _client?: { _protocol?: { signal(id: number, sig: string): void } };
};

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
