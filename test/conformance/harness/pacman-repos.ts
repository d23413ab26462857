// The pacman case's two repositories, built at test time by the pacman tests' own builder
// (sandbox/fleet/pacman-repo.ts: tar and Debian's repo-add, no makepkg) and served on loopback:
// `pacman_repo` in every case's inventory, and `pacman_repo_newer`, the same with a newer
// nfs-utils, which a run switches its own pacman.conf to when it needs `state: latest` to find
// one. Two fixed repositories rather than one that changes: both tools read them at once.
import path from 'node:path';
import { startPacmanRepo, type PacmanPackage } from '../../../sandbox/fleet/pacman-repo.js';
import { TINY_ARCH_PACKAGES } from '../../helpers/pacman-packages.js';

/**
 * What a run installs first with pacman itself, as any Arch host has it: an explicit package
 * and a dependency. community.general.pacman fails on a database where `pacman --query`,
 * `--explicit` or `--deps` lists nothing (they exit 1).
 */
const BASE: PacmanPackage[] = [
  { name: 'filesystem', version: '2024.01.01-1' },
  { name: 'base', version: '3-2', depends: ['filesystem'] },
];

export type PacmanRepos = { base: string; newer: string; close(): Promise<void> };

export async function startPacmanRepos(dir: string): Promise<PacmanRepos> {
  const pkgs = [...TINY_ARCH_PACKAGES, ...BASE];
  const first = await startPacmanRepo(path.join(dir, 'repo'), pkgs);
  const newer = await startPacmanRepo(
    path.join(dir, 'repo-newer'),
    pkgs.map((p) => (p.name === 'nfs-utils' ? { ...p, version: '2.6.3-1' } : p)),
  );
  return {
    base: first.base,
    newer: newer.base,
    close: async () => {
      await first.close();
      await newer.close();
    },
  };
}
