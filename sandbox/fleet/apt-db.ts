// A node's own package database: a copy of this machine's dpkg database (so dpkg sees the same
// installed packages and their files) and a minimal /etc/apt whose only source is the test's
// repository on loopback (apt-repo.ts). Nothing apt or dpkg does on the node reaches this
// machine's package state: the four paths are the node's own (layout.ts), and logs go there too.
import { cp, mkdir, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { nodePath } from './layout.js';

// apt's own settings for a node: logs and dpkg's log under the node's private paths, no
// translations to fetch, downloads as root (the private cache belongs to root).
const APT_CONF = `Dir::Log "var/lib/apt/log";
DPkg::Options { "--log=/var/lib/dpkg/fleet-dpkg.log"; };
Acquire::Languages "none";
APT::Sandbox::User "root";
`;

// The directories themselves stay: a running node has them bind-mounted (by inode), so only
// their contents may be replaced.
async function empty(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o755 });
  for (const e of await readdir(dir)) await rm(path.join(dir, e), { recursive: true, force: true });
}

/** Seeds node `node`'s dpkg database and /etc/apt; `repo` is a `deb` line for apt-repo.ts's server. */
export async function seedAptDatabase(stateDir: string, node: string, repo?: string): Promise<void> {
  const p = (remote: string) => nodePath(stateDir, node, remote);
  for (const dir of ['/var/lib/dpkg', '/var/lib/apt', '/var/cache/apt', '/etc/apt']) await empty(p(dir));
  await cp('/var/lib/dpkg', p('/var/lib/dpkg'), { recursive: true, preserveTimestamps: true });
  for (const dir of ['/var/lib/apt/lists/partial', '/var/lib/apt/log', '/var/cache/apt/archives/partial'])
    await mkdir(p(dir), { recursive: true, mode: 0o755 });
  for (const dir of ['apt.conf.d', 'sources.list.d', 'preferences.d', 'trusted.gpg.d', 'keyrings', 'auth.conf.d'])
    await mkdir(p(`/etc/apt/${dir}`), { recursive: true, mode: 0o755 });
  await writeFile(p('/etc/apt/apt.conf.d/00herdbook-fleet'), APT_CONF);
  // Never updated: apt (and Ansible's cache_valid_time) read the lists' age from this directory's mtime.
  await utimes(p('/var/lib/apt/lists'), 0, 0);
  if (repo) await writeFile(p('/etc/apt/sources.list.d/herdbook-fleet.list'), `${repo}\n`);
}
