// A fleet node with its own pacman database, cache and /etc/pacman.conf, whose only repository
// is one of tiny packages served on loopback (sandbox/fleet/pacman-repo.ts): the pacman tests
// install and remove for real without touching this machine's packages (apt-node.ts's twin).
// The packages are pacman-packages.ts's unless a test names others.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { pacmanConf, seedPacmanDatabase } from '../../sandbox/fleet/pacman-db.js';
import { startPacmanRepo, type PacmanPackage, type PacmanRepo } from '../../sandbox/fleet/pacman-repo.js';
import { fleetHost, type FleetHost } from '../modules/host-helpers.js';
import { TINY_ARCH_PACKAGES } from './pacman-packages.js';

export type PacmanNode = FleetHost & { repo: PacmanRepo };

export function pacmanNode(name: string, pkgs: PacmanPackage[] = TINY_ARCH_PACKAGES): PacmanNode {
  const h = fleetHost(name) as PacmanNode;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-pacman-repo-'));
  beforeAll(async () => {
    h.repo = await startPacmanRepo(dir, pkgs);
    await seedPacmanDatabase(h.t.fleet.stateDir, name);
    await h.connection.put(pacmanConf(h.repo), '/etc/pacman.conf', { mode: 0o644 });
  });
  afterAll(async () => {
    await h.repo?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return h;
}
