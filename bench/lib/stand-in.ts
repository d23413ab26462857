// An in-process stand-in for a host's Connection, for measuring the engine alone at thousands
// of hosts: 50,000 real commands would measure fork() and exec(), not herdbook. It answers like
// a fast host: `echo` prints its words, every other command exits 0 with no output, and
// put/get keep files in memory. Each answer arrives on a later event-loop turn, as I/O would.
import type { CommandSpec, Connection, ExecResult } from '../../engine/connection/types.js';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export class StandInConnection implements Connection {
  readonly kind = 'stand-in';
  execs = 0;
  private readonly files = new Map<string, Buffer>();

  constructor(readonly host: string) {}

  async exec(cmd: CommandSpec): Promise<ExecResult> {
    this.execs++;
    await nextTurn();
    const argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : cmd;
    const stdout = argv[0] === 'echo' || argv[0] === '/bin/echo' ? `${argv.slice(1).join(' ')}\n` : '';
    return { rc: 0, stdout, stderr: '' };
  }

  async put(data: Buffer | string, dest: string): Promise<void> {
    await nextTurn();
    this.files.set(dest, Buffer.from(data));
  }

  async get(src: string): Promise<Buffer> {
    await nextTurn();
    const b = this.files.get(src);
    if (!b) throw new Error(`${src}: no such file`);
    return b;
  }

  async close(): Promise<void> {}
}

/** One stand-in per host, created on first use (as the connection pool does). */
export function standInPool(): { get(host: string): Promise<Connection>; execs(): number } {
  const all = new Map<string, StandInConnection>();
  return {
    async get(host) {
      let c = all.get(host);
      if (!c) all.set(host, (c = new StandInConnection(host)));
      return c;
    },
    execs: () => [...all.values()].reduce((n, c) => n + c.execs, 0),
  };
}
