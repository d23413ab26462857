// gather_facts and the setup module: one round trip per host (a single shell script), parsed by pure functions.
import type { Connection } from '../connection/types.js';
import { parseAnsibleFacts, parseFacts, type Facts } from './parse.js';
import { FACTS_SCRIPT } from './script.js';

export type Gathered = { ansible: Record<string, unknown>; alias: Facts };

export async function gatherFacts(conn: Pick<Connection, 'exec'>): Promise<Gathered> {
  const r = await conn.exec(FACTS_SCRIPT, { idempotent: true, timeout: 30_000 });
  if (r.rc !== 0) throw new Error(`gathering facts failed (exit ${r.rc}): ${r.stderr.trim()}`);
  return { ansible: parseAnsibleFacts(r.stdout), alias: parseFacts(r.stdout) };
}
