// Where a fleet keeps its files. Other sandboxes (the fake k3s, the API simulator) read and
// write a node's k3s paths through `nodeRoot`, so this layout is public API: change it with care.
import path from 'node:path';

/** The real paths each node sees as its own (bind-mounted from `nodeRoot(stateDir, name)` + path). */
export const NODE_PATHS = [
  '/usr/local/bin',
  '/etc/rancher',
  '/var/lib/rancher',
  '/etc/systemd/system',
  '/run',
  '/etc/pve',
  // The package manager's state (apt-db.ts seeds them): apt and dpkg on a node never touch this machine's.
  '/var/lib/dpkg',
  '/var/lib/apt',
  '/var/cache/apt',
  '/etc/apt',
  // pacman's (pacman-db.ts): its database, package cache and log; /etc/pacman.conf is in the node's /etc overlay.
  '/var/lib/pacman',
  '/var/cache/pacman',
  // debconf's database: dpkg-reconfigure (the timezone module on Debian) writes it.
  '/var/cache/debconf',
] as const;

export type NodePath = (typeof NODE_PATHS)[number];

/**
 * Real directories each node sees through an overlay: the machine's files below, the node's own
 * writes in `nodeOverlay(...).upper`. Accounts need it: useradd and usermod write /etc/passwd+
 * and rename it over /etc/passwd, which a bind-mounted file refuses (EBUSY); a node's users,
 * groups, shadow entries and home directories stay its own, the machine's never change.
 */
export const NODE_OVERLAYS = ['/etc', '/home'] as const;

/** The upper (the node's writes) and work directories of a node's overlay of `dir`. */
export function nodeOverlay(stateDir: string, name: string, dir: (typeof NODE_OVERLAYS)[number]) {
  const base = path.join(stateDir, 'overlays', name, dir.replace(/^\//, ''));
  return { upper: path.join(base, 'upper'), work: path.join(base, 'work') };
}

/** `<stateDir>/nodes/<name>`: a file at `/usr/local/bin/k3s` on node `name` is `nodeRoot(...)/usr/local/bin/k3s` here. */
export function nodeRoot(stateDir: string, name: string): string {
  return path.join(stateDir, 'nodes', name);
}

/** The controller-side path of `remotePath` as node `name` sees it (must lie under one of NODE_PATHS). */
export function nodePath(stateDir: string, name: string, remotePath: string): string {
  const normalized = path.posix.normalize(remotePath);
  const base = NODE_PATHS.find((p) => normalized === p || normalized.startsWith(`${p}/`));
  if (!base) throw new Error(`${remotePath} is not a per-node path (one of ${NODE_PATHS.join(', ')})`);
  return path.join(nodeRoot(stateDir, name), normalized);
}

/** Files of the fleet itself (keys, configs, pids, logs), beside the node roots. */
export function fleetPaths(stateDir: string) {
  return {
    keysDir: path.join(stateDir, 'keys'),
    clientKey: path.join(stateDir, 'keys', 'client_ed25519'),
    passphraseKey: path.join(stateDir, 'keys', 'client_passphrase_ed25519'),
    authorizedKeys: path.join(stateDir, 'keys', 'authorized_keys'),
    knownHosts: path.join(stateDir, 'known_hosts'),
    hashedKnownHosts: path.join(stateDir, 'known_hosts.hashed'),
    manifest: path.join(stateDir, 'fleet.json'),
  };
}

/** Files of one node's sshd (outside the node root, so the node cannot see them under /run). */
export function nodeFiles(stateDir: string, name: string) {
  const dir = path.join(stateDir, 'sshd', name);
  return {
    dir,
    config: path.join(dir, 'sshd_config'),
    hostKey: path.join(dir, 'ssh_host_ed25519_key'),
    pidFile: path.join(dir, 'sshd.pid'),
    log: path.join(dir, 'sshd.log'),
  };
}
