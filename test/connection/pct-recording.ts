// What the pct tests share: the Proxmox node's connection wrapped to record every command line
// sent to it (and, unless `agents: false`, every executor agent started through it, so the
// container gets the persistent executor), and the expectation that a call makes the container
// unreachable.
import { expect } from 'vitest';
import type { AgentProcess, Connection } from '../../engine/connection/types.js';
import { UnreachableError } from '../../engine/errors.js';

export type Recorded = { conn: Connection; execs: string[]; spawns: string[]; agents: AgentProcess[] };

export function recording(pve: Connection, opts: { agents?: boolean } = {}): Recorded {
  const execs: string[] = [];
  const spawns: string[] = [];
  const agents: AgentProcess[] = [];
  const conn: Connection = {
    host: pve.host,
    kind: pve.kind,
    exec: (cmd, o) => (execs.push(typeof cmd === 'string' ? cmd : cmd.join(' ')), pve.exec(cmd, o)),
    put: (d, dest, o) => pve.put(d, dest, o),
    get: (src, o) => pve.get(src, o),
    close: async () => undefined,
  };
  if (opts.agents !== false && pve.spawn) {
    const spawn = pve.spawn.bind(pve);
    conn.spawn = async (argv) => {
      spawns.push(argv.join(' '));
      const a = await spawn(argv);
      agents.push(a);
      return a;
    };
  }
  return { conn, execs, spawns, agents };
}

/** The call fails with UnreachableError (returned, for its message and reason). */
export async function unreachable(p: Promise<unknown>): Promise<UnreachableError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnreachableError);
  return e as UnreachableError;
}
