// The fleet needs real OpenSSH, sudo and mount namespaces. It installs what is missing when it
// may (root with apt-get) and otherwise says exactly what to run; it never skips.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const SSHD = '/usr/sbin/sshd';
const NEEDED: { file: string; pkg: string }[] = [
  { file: SSHD, pkg: 'openssh-server' },
  { file: '/usr/bin/ssh-keygen', pkg: 'openssh-client' },
  { file: '/usr/bin/sudo', pkg: 'sudo' },
];
const INSTALL_HINT = 'apt-get update && apt-get install -y openssh-server sudo';

export type PrerequisiteOptions = { install?: boolean };

async function exists(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function missingPackages(): Promise<string[]> {
  const missing: string[] = [];
  for (const n of NEEDED) if (!(await exists(n.file))) missing.push(n.pkg);
  return [...new Set(missing)];
}

async function aptInstall(pkgs: string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Parallel fleets (vitest forks) may install at once: wait for dpkg's lock instead of failing.
  const args = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...pkgs];
  try {
    await run('apt-get', args, { env, maxBuffer: 64 << 20 });
  } catch {
    // A fresh machine has empty package lists: update once, then try again.
    await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { env, maxBuffer: 64 << 20 });
    await run('apt-get', args, { env, maxBuffer: 64 << 20 });
  }
}

/** Throws with the command to run when something is missing and cannot be installed here. */
export async function ensurePrerequisites(opts: PrerequisiteOptions = {}): Promise<void> {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot) {
    throw new Error('the sshd fleet needs root (bind mounts in mount namespaces, sshd on loopback, test users)');
  }
  let missing = await missingPackages();
  if (missing.length > 0) {
    const mayInstall = opts.install !== false && (await exists('/usr/bin/apt-get'));
    if (!mayInstall) throw new Error(`the sshd fleet needs ${missing.join(', ')}: run \`${INSTALL_HINT}\``);
    try {
      await aptInstall(missing);
    } catch (e) {
      throw new Error(`installing ${missing.join(', ')} failed; run \`${INSTALL_HINT}\``, { cause: e });
    }
    missing = await missingPackages();
    if (missing.length > 0)
      throw new Error(`still missing ${missing.join(', ')} after apt-get; run \`${INSTALL_HINT}\``);
  }
  try {
    await run('unshare', ['--mount', '--propagation', 'private', 'true']);
  } catch (e) {
    throw new Error(
      'the sshd fleet runs each node in its own mount namespace and `unshare --mount --propagation private true` failed: ' +
        'run as root on a kernel with mount namespaces (in a container: --privileged or CAP_SYS_ADMIN)',
      { cause: e },
    );
  }
}
