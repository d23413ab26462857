// A fleet per test file, and connections that read nothing from the real ~/.ssh.
import { chmod, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SshConnection } from '../../../engine/connection/ssh/index.js';
import type { SshDeps, SshEvent } from '../../../engine/connection/ssh/index.js';
import type { Connection, ConnectionSettings } from '../../../engine/connection/types.js';
import { startFleet, type Fleet, type FleetOptions } from '../../../sandbox/fleet/index.js';

export type TestFleet = { fleet: Fleet; home: string; dir: string; stop(): Promise<void> };

export async function testFleet(nodes: FleetOptions['nodes'], opts: Partial<FleetOptions> = {}): Promise<TestFleet> {
  const dir = await mkdtemp(path.join(tmpdir(), 'hb-ssh-'));
  // The fleet's become users read authorized_keys below this directory.
  await chmod(dir, 0o755);
  const home = path.join(dir, 'home');
  await mkdir(path.join(home, '.ssh'), { recursive: true });
  const fleet = await startFleet({ stateDir: path.join(dir, 'fleet'), nodes, ...opts });
  return {
    fleet,
    home,
    dir,
    async stop() {
      await fleet.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type Recorder = { events: SshEvent[]; deps: SshDeps };

/** Deps with HOME in the test dir, no ssh config, no agent, and every event recorded. */
export function isolatedDeps(t: TestFleet, extra: Partial<SshDeps> = {}): Recorder {
  const events: SshEvent[] = [];
  return {
    events,
    deps: {
      env: { HOME: t.home, USER: 'root', PATH: process.env.PATH },
      sshConfigPath: null,
      retryDelayMs: 50,
      onEvent: (e) => events.push(e),
      ...extra,
    },
  };
}

export function connect(
  t: TestFleet,
  node: string,
  settings: Partial<ConnectionSettings> = {},
  extra: Partial<SshDeps> = {},
) {
  const rec = isolatedDeps(t, extra);
  const conn = new SshConnection({ ...t.fleet.node(node).settings, ...settings }, rec.deps);
  return Object.assign(conn, { events: rec.events });
}

/** Whether a process with exactly this command line runs on the node (procps may not be installed). */
export async function remoteProcessRuns(conn: Connection, cmdline: string): Promise<boolean> {
  const r = await conn.exec(`for f in /proc/[0-9]*/cmdline; do tr '\\0' ' ' < "$f" 2>/dev/null; echo; done`);
  return r.stdout.split('\n').some((l) => l.trimEnd() === cmdline);
}
