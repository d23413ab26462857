// A fleet node with its own dpkg database and apt configuration, whose only package source is a
// repository of tiny packages served on loopback (sandbox/fleet/apt-repo.ts): the package
// modules' tests install and remove for real without touching this machine's packages.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { seedAptDatabase } from '../../sandbox/fleet/apt-db.js';
import { startAptRepo, type AptRepo, type TinyPackage } from '../../sandbox/fleet/apt-repo.js';
import { fleetHost, type FleetHost } from '../modules/host-helpers.js';

/** The packages the tests (and worker-prereqs) install: Longhorn's and NFS's names, tiny. */
export const TINY_PACKAGES: TinyPackage[] = [
  { name: 'libnfsidmap1', version: '1:2.6.2-4' },
  { name: 'nfs-common', version: '1:2.6.2-4', depends: ['libnfsidmap1'] },
  {
    name: 'open-iscsi',
    version: '2.1.8-1',
    // The unit the real package ships, where the node's fake systemctl reads units.
    files: {
      '/etc/systemd/system/iscsid.service':
        '[Unit]\nDescription=iSCSI initiator daemon (iSCSID)\n\n[Service]\nExecStart=/bin/true\n\n[Install]\nWantedBy=multi-user.target\n',
    },
  },
];

export type AptNode = FleetHost & { repo: AptRepo; name: string };

export function aptNode(name: string, pkgs: TinyPackage[] = TINY_PACKAGES): AptNode {
  const h = fleetHost(name) as AptNode;
  h.name = name;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-apt-repo-'));
  beforeAll(async () => {
    h.repo = await startAptRepo(dir, pkgs);
    await seedAptDatabase(h.t.fleet.stateDir, name, h.repo.source);
  });
  afterAll(async () => {
    await h.repo?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return h;
}
