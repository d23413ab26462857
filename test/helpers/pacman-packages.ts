// Tiny Arch packages with the names of the storage clients k3s nodes need: what the pacman
// module's tests (pacman-node.ts) and the conformance case (harness/pacman-repos.ts) install.
import type { PacmanPackage } from '../../sandbox/fleet/pacman-repo.js';

/** Their files land under the installing pacman's root: a node's own /etc, or a run's own root. */
export const TINY_ARCH_PACKAGES: PacmanPackage[] = [
  { name: 'libnfsidmap', version: '2.6.2-1' },
  {
    name: 'nfs-utils',
    version: '2.6.2-1',
    depends: ['libnfsidmap'],
    groups: ['k3s-storage'],
    files: { '/etc/herdbook-pacman/nfs.conf': '[nfsd]\nthreads=8\n' },
  },
  {
    name: 'open-iscsi',
    version: '2.1.8-1',
    groups: ['k3s-storage'],
    files: { '/etc/herdbook-pacman/iscsid.conf': 'node.startup = manual\n' },
  },
];
