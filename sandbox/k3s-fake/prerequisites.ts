// The fake k3s world runs on the machine's own tools: unshare/nsenter (util-linux) for nodes and
// pct, gzip for compressed snapshots, and curl or wget inside nodes for install.sh. Like the
// fleet, it installs what is missing when it may (root with apt-get), else says what to run.
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type Tool = { file: string; pkg: string };

export const K3S_FAKE_TOOLS: readonly Tool[] = [
  { file: '/usr/bin/unshare', pkg: 'util-linux' },
  { file: '/usr/bin/nsenter', pkg: 'util-linux' },
  { file: '/usr/bin/gzip', pkg: 'gzip' },
  { file: '/usr/bin/curl', pkg: 'curl' },
];

async function missing(tools: readonly Tool[]): Promise<string[]> {
  const pkgs: string[] = [];
  for (const t of tools) {
    try {
      await access(t.file, constants.X_OK);
    } catch {
      pkgs.push(t.pkg);
    }
  }
  return [...new Set(pkgs)];
}

/** Throws with the exact command to run when a tool is missing and cannot be installed here. */
export async function ensureTools(tools: readonly Tool[] = K3S_FAKE_TOOLS): Promise<void> {
  let pkgs = await missing(tools);
  if (pkgs.length === 0) return;
  const hint = `apt-get update && apt-get install -y ${pkgs.join(' ')}`;
  const mayInstall =
    process.getuid?.() === 0 && (await missing([{ file: '/usr/bin/apt-get', pkg: 'apt' }])).length === 0;
  if (!mayInstall) throw new Error(`the fake k3s world needs ${pkgs.join(', ')}: run \`${hint}\``);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const args = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...pkgs];
  try {
    await run('apt-get', args, { env, maxBuffer: 64 << 20 });
  } catch {
    // A fresh machine has empty package lists: update once, then try again.
    try {
      await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { env, maxBuffer: 64 << 20 });
      await run('apt-get', args, { env, maxBuffer: 64 << 20 });
    } catch (e) {
      throw new Error(`installing ${pkgs.join(', ')} failed; run \`${hint}\``, { cause: e });
    }
  }
  pkgs = await missing(tools);
  if (pkgs.length > 0) throw new Error(`still missing ${pkgs.join(', ')} after apt-get; run \`${hint}\``);
}
