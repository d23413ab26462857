// Host tools a test needs (sudo, script): installed with apt-get when missing and we may
// (root on Debian), otherwise the test fails with the exact command to run.
import { execFileSync, spawnSync } from 'node:child_process';

function has(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

export function ensureTool(cmd: string, aptPackage: string): void {
  if (has(cmd)) return;
  const canInstall = process.getuid?.() === 0 && has('apt-get');
  if (!canInstall) throw new Error(`this test needs '${cmd}': run  apt-get install -y ${aptPackage}`);
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', aptPackage], {
    stdio: 'ignore',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (!has(cmd))
    throw new Error(
      `apt-get install ${aptPackage} did not provide '${cmd}': run  apt-get update && apt-get install -y ${aptPackage}`,
    );
}
