// Installs the fake modprobe and lsmod (fake-modprobe.sh beside this file) into a node's
// /usr/local/bin: this machine's kernel has no loadable modules, so the modprobe module's kernel
// side is tested against a modules list the test controls. Reads back what it holds, for tests.
import { chmod, copyFile, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { fakeSystemctlPath } from './fake-systemctl.js';
import { nodePath } from './layout.js';

export async function installFakeModprobe(stateDir: string, node: string): Promise<string> {
  const dest = nodePath(stateDir, node, '/usr/local/bin/modprobe');
  await copyFile(path.join(path.dirname(fakeSystemctlPath()), 'fake-modprobe.sh'), dest);
  await chmod(dest, 0o755);
  await symlink('modprobe', nodePath(stateDir, node, '/usr/local/bin/lsmod')).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== 'EEXIST') throw e;
  });
  return dest;
}

/** The modules node `node`'s fake kernel has loaded (names with `_`, in load order). */
export async function readFakeModules(stateDir: string, node: string): Promise<string[]> {
  const text = await readFile(nodePath(stateDir, node, '/run/fake-modprobe/loaded'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}

/** Every load and unload (`<time> load <name> [params]`, `<time> unload <name>`), oldest first. */
export async function readFakeModprobeLog(stateDir: string, node: string): Promise<string[]> {
  const text = await readFile(nodePath(stateDir, node, '/run/fake-modprobe/.log'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}
