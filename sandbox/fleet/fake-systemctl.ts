// Installs the fake systemctl (fake-systemctl.sh beside this file) into a node's /usr/local/bin
// and reads the state it keeps, for tests and for sandboxes built on the fleet.
import { existsSync } from 'node:fs';
import { chmod, copyFile, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodePath } from './layout.js';

const SCRIPT = 'fake-systemctl.sh';

/** The script's path: beside this file in the source tree, or found from dist/sandbox/fleet/ upwards. */
export function fakeSystemctlPath(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    for (const candidate of [path.join(dir, SCRIPT), path.join(dir, 'sandbox', 'fleet', SCRIPT)]) {
      if (existsSync(candidate)) return candidate;
    }
    dir = path.dirname(dir);
  }
  throw new Error(`${SCRIPT} not found near ${fileURLToPath(import.meta.url)}`);
}

export async function installFakeSystemctl(stateDir: string, node: string): Promise<string> {
  const dest = nodePath(stateDir, node, '/usr/local/bin/systemctl');
  await copyFile(fakeSystemctlPath(), dest);
  await chmod(dest, 0o755);
  return dest;
}

export type FakeUnitState = { activeState: string; subState: string };

/** A unit's state as node `node` sees it (`inactive dead` when never started or stopped). */
export async function readFakeUnitState(stateDir: string, node: string, unit: string): Promise<FakeUnitState> {
  const name = unit.includes('.') ? unit : `${unit}.service`;
  const text = await readFile(nodePath(stateDir, node, `/run/fake-systemd/${name}.state`), 'utf8').catch(
    () => 'inactive dead',
  );
  const [activeState, subState] = text.trim().split(' ');
  return { activeState, subState };
}

export type FakeSystemdEvent = { time: number; action: string; unit: string; result: string };

/** Every start/stop/restart/reload/enable/disable/daemon-reload the node's systemctl did, oldest first. */
export async function readFakeSystemdLog(stateDir: string, node: string): Promise<FakeSystemdEvent[]> {
  const text = await readFile(nodePath(stateDir, node, '/run/fake-systemd/log'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      const [time, action, unit, result] = l.split(' ');
      return { time: Number(time), action, unit, result };
    });
}
