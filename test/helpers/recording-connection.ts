// A real connection that also records what each exec put on the command line (argv words and
// `env` values): to prove a secret never travelled there; and what it answered.
import type { CommandSpec, Connection, ExecOptions, ExecResult } from '../../engine/connection/types.js';

export type RecordedExec = { cmd: CommandSpec; opts: ExecOptions; result?: ExecResult };

export function recordingConnection(conn: Connection): {
  conn: Connection;
  calls: RecordedExec[];
  commandLineWords(): string[];
} {
  const calls: RecordedExec[] = [];
  const wrapped: Connection = {
    host: conn.host,
    kind: conn.kind,
    exec: async (cmd, opts = {}) => {
      const call: RecordedExec = { cmd, opts };
      calls.push(call);
      call.result = await conn.exec(cmd, opts);
      return call.result;
    },
    put: (data, dest, opts) => conn.put(data, dest, opts),
    get: (src, opts) => conn.get(src, opts),
    // The real connection is closed by whoever opened it.
    close: async () => undefined,
  };
  return {
    conn: wrapped,
    calls,
    commandLineWords: () =>
      calls.flatMap((c) => [
        ...(typeof c.cmd === 'string' ? [c.cmd] : c.cmd),
        ...Object.entries(c.opts.env ?? {}).map(([k, v]) => `${k}=${v}`),
      ]),
  };
}
