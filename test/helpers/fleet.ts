// A real-OpenSSH fleet per test file (nodes are sshd processes in their own mount namespaces),
// with the fake k3s tools it needs, torn down after the file's tests (or the suite's, see
// teardown.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createSshConnection } from '../../engine/connection/ssh/index.js';
import type { Connection } from '../../engine/connection/types.js';
import { startFleet, type Fleet, type FleetNodeOptions } from '../../sandbox/fleet/index.js';
import { ensureTools, K3S_FAKE_TOOLS } from '../../sandbox/k3s-fake/index.js';
import { teardown } from './teardown.js';

export async function fleetFor(
  nodes: FleetNodeOptions[],
): Promise<{ fleet: Fleet; conn(name: string): Connection; stateDir: string }> {
  await ensureTools(K3S_FAKE_TOOLS);
  const stateDir = mkdtempSync(path.join(os.tmpdir(), 'hb-fleet-'));
  const fleet = await startFleet({ stateDir, nodes });
  const conns = new Map<string, Connection>();
  teardown(async () => {
    await Promise.all([...conns.values()].map((c) => c.close()));
    await fleet.stop();
    rmSync(stateDir, { recursive: true, force: true });
  });
  return {
    fleet,
    stateDir,
    conn(name) {
      let c = conns.get(name);
      if (!c) {
        c = createSshConnection(fleet.node(name).settings);
        conns.set(name, c);
      }
      return c;
    },
  };
}
