// Installs the fake sysctl (fake-sysctl.sh beside this file) into a node's /usr/local/bin, ahead
// of /usr/sbin/sysctl on PATH: the sysctl module's kernel side is tested without changing this
// machine's kernel settings. Reads back what it holds, for tests.
import { chmod, copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fakeSystemctlPath } from './fake-systemctl.js';
import { nodePath } from './layout.js';

export async function installFakeSysctl(stateDir: string, node: string): Promise<string> {
  const dest = nodePath(stateDir, node, '/usr/local/bin/sysctl');
  await copyFile(path.join(path.dirname(fakeSystemctlPath()), 'fake-sysctl.sh'), dest);
  await chmod(dest, 0o755);
  return dest;
}

/** A key's value as node `node`'s fake kernel holds it (undefined: not a key the fake knows or was given). */
export async function readFakeSysctl(stateDir: string, node: string, key: string): Promise<string | undefined> {
  const text = await readFile(nodePath(stateDir, node, `/run/fake-sysctl/${key}`), 'utf8').catch(() => undefined);
  return text?.replace(/\n$/, '');
}

/** Every value the node's sysctl wrote (`<time> set <key> <value>` lines), oldest first. */
export async function readFakeSysctlLog(stateDir: string, node: string): Promise<string[]> {
  const text = await readFile(nodePath(stateDir, node, '/run/fake-sysctl/.log'), 'utf8').catch(() => '');
  return text.split('\n').filter((l) => l !== '');
}
