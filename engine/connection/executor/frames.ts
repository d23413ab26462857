// Reads the agent's stdout: header lines `HBX<nonce> <kind> ...`; a done header is followed by
// stdout, the separator `HBX<nonce>-SEP\n`, stderr and the separator again. Command output
// never passes through this stream outside that place, and no command knows the nonce, so a
// fake header or separator it prints is just bytes of its output. Before the ready header, lines are skipped:
// a login's rc files may print on stdout.

export type AgentFrame =
  | { kind: 'ready'; dir: string }
  | { kind: 'refused'; why: string }
  | { kind: 'started'; id: number; pid: number }
  | { kind: 'done'; id: number; rc: number; stdout: Buffer; stderr: Buffer; refused: boolean };

/** Longer than any header the agent writes: a longer line means we lost our place in the stream. */
const MAX_HEADER = 4096;

export class ProtocolError extends Error {}

export class FrameReader {
  private buf: Buffer = Buffer.alloc(0);
  private ready = false;
  /** A done header was read: its stdout, then its stderr, each ended by the separator. */
  private body?: { id: number; rc: number; refused: boolean; parts: Buffer[]; chunks: Buffer[] };
  private readonly prefix: string;
  private readonly sep: Buffer;

  constructor(
    nonce: string,
    /** Replaced by the session once it has started. */
    public onFrame: (f: AgentFrame) => void,
  ) {
    this.prefix = `HBX${nonce} `;
    this.sep = Buffer.from(`HBX${nonce}-SEP\n`);
  }

  /** Feeds a chunk; throws ProtocolError when the stream is not what the agent writes. */
  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.body) {
        if (!this.part()) return;
        continue;
      }
      const nl = this.buf.indexOf(10);
      if (nl < 0) {
        if (this.buf.length > MAX_HEADER && this.ready) throw new ProtocolError('executor header too long');
        // Before ready, a long login banner line without a newline yet: keep only its tail.
        if (this.buf.length > MAX_HEADER) this.buf = Buffer.from(this.buf.subarray(this.buf.length - MAX_HEADER));
        return;
      }
      const line = this.buf.subarray(0, nl).toString('latin1');
      this.buf = this.buf.subarray(nl + 1);
      this.header(line);
    }
  }

  /** Takes body bytes up to the next separator; false when it has not arrived yet. */
  private part(): boolean {
    const b = this.body!;
    const at = this.buf.indexOf(this.sep);
    if (at < 0) {
      // Keep what could be the start of a separator; the rest is output.
      const keep = Math.min(this.buf.length, this.sep.length - 1);
      if (this.buf.length > keep) {
        b.chunks.push(Buffer.from(this.buf.subarray(0, this.buf.length - keep)));
        this.buf = Buffer.from(this.buf.subarray(this.buf.length - keep));
      }
      return false;
    }
    b.chunks.push(Buffer.from(this.buf.subarray(0, at)));
    this.buf = this.buf.subarray(at + this.sep.length);
    b.parts.push(Buffer.concat(b.chunks));
    b.chunks = [];
    if (b.parts.length < 2) return true;
    this.body = undefined;
    this.onFrame({ kind: 'done', id: b.id, rc: b.rc, stdout: b.parts[0], stderr: b.parts[1], refused: b.refused });
    return true;
  }

  private header(line: string): void {
    if (!line.startsWith(this.prefix)) {
      if (!this.ready) return;
      throw new ProtocolError(`unexpected executor output ${JSON.stringify(line.slice(0, 80))}`);
    }
    const [kind, ...f] = line.slice(this.prefix.length).split(' ');
    const int = (s: string | undefined): number => {
      if (s === undefined || !/^\d+$/.test(s)) throw new ProtocolError(`bad executor header ${JSON.stringify(line)}`);
      return Number(s);
    };
    switch (kind) {
      case 'R':
        this.ready = true;
        this.onFrame({ kind: 'ready', dir: f.join(' ') });
        return;
      case 'NO':
        this.onFrame({ kind: 'refused', why: f.join(' ') });
        return;
      case 'S':
        this.onFrame({ kind: 'started', id: int(f[0]), pid: int(f[1]) });
        return;
      case 'D':
        this.body = { id: int(f[0]), rc: int(f[1]), refused: f[2] === 'r', parts: [], chunks: [] };
        return;
      default:
        throw new ProtocolError(`unknown executor header ${JSON.stringify(line)}`);
    }
  }
}
