// Reads the agent's stdout: header lines `HBX<nonce> <kind> ...`, a done header followed by
// exactly the stdout and stderr lengths it names. Command output never passes through this
// stream unframed (the agent writes it only after a header that counts it), so a command that
// prints a fake header is just bytes inside a frame. Before the ready header, lines are skipped:
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
  private body?: { id: number; rc: number; outLen: number; errLen: number; refused: boolean };
  private readonly prefix: string;

  constructor(
    nonce: string,
    /** Replaced by the session once it has started. */
    public onFrame: (f: AgentFrame) => void,
  ) {
    this.prefix = `HBX${nonce} `;
  }

  /** Feeds a chunk; throws ProtocolError when the stream is not what the agent writes. */
  push(chunk: Buffer): void {
    this.buf = this.buf.length ? Buffer.concat([this.buf, chunk]) : chunk;
    for (;;) {
      if (this.body) {
        const need = this.body.outLen + this.body.errLen;
        if (this.buf.length < need) return;
        const b = this.body;
        this.body = undefined;
        const stdout = Buffer.from(this.buf.subarray(0, b.outLen));
        const stderr = Buffer.from(this.buf.subarray(b.outLen, need));
        this.buf = this.buf.subarray(need);
        this.onFrame({ kind: 'done', id: b.id, rc: b.rc, stdout, stderr, refused: b.refused });
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
        this.body = { id: int(f[0]), rc: int(f[1]), outLen: int(f[2]), errLen: int(f[3]), refused: f[4] === 'r' };
        return;
      default:
        throw new ProtocolError(`unknown executor header ${JSON.stringify(line)}`);
    }
  }
}
