// A node's own pacman state: an empty database and package cache under the node's private paths
// (layout.ts), and the pacman.conf the node reads at /etc/pacman.conf (its /etc is an overlay of
// its own) whose only repository is the test's (pacman-repo.ts). pacman's log goes beside its
// database, so nothing pacman does on a node reaches this machine's files.
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { nodePath } from './layout.js';

/** The node's /etc/pacman.conf: root /, the node's database and cache, the test repository, unsigned. */
export function pacmanConf(repo: { name: string; base: string }): string {
  return `[options]
RootDir = /
DBPath = /var/lib/pacman/
CacheDir = /var/cache/pacman/pkg/
LogFile = /var/lib/pacman/pacman.log
GPGDir = /var/lib/pacman/gnupg/
HookDir = /var/lib/pacman/hooks/
Architecture = auto
SigLevel = Never

[${repo.name}]
Server = ${repo.base}
`;
}

/** Empties node `node`'s pacman database and cache (the directories stay: a running node has them bind-mounted). */
export async function seedPacmanDatabase(stateDir: string, node: string): Promise<void> {
  for (const dir of ['/var/lib/pacman', '/var/cache/pacman']) {
    const d = nodePath(stateDir, node, dir);
    await mkdir(d, { recursive: true, mode: 0o755 });
    for (const e of await readdir(d)) await rm(path.join(d, e), { recursive: true, force: true });
  }
  await mkdir(nodePath(stateDir, node, '/var/cache/pacman/pkg'), { recursive: true, mode: 0o755 });
}
