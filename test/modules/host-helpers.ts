// Shared by the file and service module tests: a temp directory on the local connection, and
// one real-OpenSSH fleet node per test file with a connection that reads nothing from ~/.ssh.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import type { Connection } from '../../engine/connection/types.js';
import { nodePath } from '../../sandbox/fleet/index.js';
import { connect, testFleet, type TestFleet } from '../connection/ssh/fixture.js';

export function localTemp(prefix: string): { dir: string; connection: Connection; at(...p: string[]): string } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `hb-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return { dir, connection: new LocalConnection('local'), at: (...p) => path.join(dir, ...p) };
}

export type FleetHost = {
  t: TestFleet;
  connection: Connection;
  /** The controller-side path of a file the node sees at `remote` (under /var/lib/rancher, /run, ...). */
  local(remote: string): string;
};

/** One fleet node for this test file, started before its tests and stopped after. */
export function fleetHost(name = 'n1'): FleetHost {
  const h = {} as FleetHost;
  beforeAll(async () => {
    h.t = await testFleet([{ name }]);
    h.connection = connect(h.t, name);
    h.local = (remote) => nodePath(h.t.fleet.stateDir, name, remote);
  });
  afterAll(async () => {
    await h.connection?.close();
    await h.t?.stop();
  });
  return h;
}
