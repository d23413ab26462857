// A baseline's tool from Debian's packages, for the benchmark columns that need one (Ansible,
// Mitogen): found as it is, or installed with apt-get when we are root (once more after an
// `apt-get update` if the first try fails), or the reason the column is skipped.
import { spawnSync } from 'node:child_process';

export type Availability = { ok: true; version: string } | { ok: false; why: string };

/** `version()` says whether the tool is there (and which); `pkg` is the Debian package that brings it. */
export function ensureDebianPackage(
  pkg: string,
  version: () => string | undefined,
  column: string,
  log: (msg: string) => void,
): Availability {
  const v = version();
  if (v) return { ok: true, version: v };
  if (process.getuid?.() !== 0)
    return { ok: false, why: `${pkg} is not installed and we are not root (as root: apt-get install -y ${pkg})` };
  log(`installing Debian's ${pkg} package (apt-get install -y ${pkg}) for the ${column} column...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = () =>
    spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', pkg], { encoding: 'utf8', env });
  let r = install();
  if (r.status !== 0) {
    spawnSync('apt-get', ['update', '-q'], { encoding: 'utf8', env });
    r = install();
  }
  const after = version();
  if (after) return { ok: true, version: after };
  return {
    ok: false,
    why: `apt-get install -y ${pkg} failed: ${(r.stderr || r.error?.message || '').trim().split('\n').slice(-3).join(' | ')}`,
  };
}
