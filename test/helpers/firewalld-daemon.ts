// A real firewalld daemon for tests, with a system D-Bus of its own, in a private network and
// mount namespace (netns.ts): its rules go to the namespace's nftables, its configuration is the
// `etc` copy bound over /etc/firewalld, and /run there is a fresh tmpfs, so the bus socket
// (/run/dbus/system_bus_socket, where firewall-cmd and firewalld's Python client look) and
// firewalld's /run/firewalld exist only inside. No systemd and no polkit are needed: the bus
// config below lists no service directories, so nothing is activated, and firewalld, finding no
// polkit, lets uid 0 callers in (firewall/server/decorators.py).
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startNetns, type NetnsHost } from './netns.js';

export type FirewalldDaemon = { ns: NetnsHost; stop(): Promise<void> };

// A system bus that lets root do anything and activates nothing.
const BUS_CONFIG = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>system</type>
  <listen>unix:path=/run/dbus/system_bus_socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="root"/>
    <allow own="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
`;

/** A daemon process in the namespace (nsenter execs it: the child's pid is the daemon's). */
function daemon(ns: NetnsHost, argv: string[]): { child: ChildProcess; output: () => string; exited: Promise<void> } {
  const child = spawn('nsenter', ['-t', String(ns.pid), '-n', '-m', '--', ...argv], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LANG: 'C', LC_ALL: 'C' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return { child, output: () => out, exited };
}

/** SIGTERM, then SIGKILL if it has not gone after `ms`. */
async function end(d: { child: ChildProcess; exited: Promise<void> }, ms = 10_000): Promise<void> {
  if (d.child.exitCode !== null || d.child.signalCode !== null) return;
  d.child.kill('SIGTERM');
  const timer = setTimeout(() => d.child.kill('SIGKILL'), ms);
  await d.exited;
  clearTimeout(timer);
}

/**
 * Starts the namespace, its bus and firewalld on the configuration in `etc` (a directory this
 * test owns, bound over /etc/firewalld); resolves once `firewall-cmd --state` says running.
 * `scratch` is a directory for the bus config.
 */
export async function startFirewalld(etc: string, scratch: string): Promise<FirewalldDaemon> {
  const ns = await startNetns({ '/etc/firewalld': etc });
  const started: { child: ChildProcess; exited: Promise<void> }[] = [];
  const stop = async () => {
    for (const d of started.reverse()) await end(d);
    await ns.stop();
  };
  try {
    const sh = async (argv: string[]) => {
      const r = await ns.connection.exec(argv);
      if (r.rc !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
    };
    await sh(['mount', '-t', 'tmpfs', '-o', 'mode=0755', 'tmpfs', '/run']);
    await sh(['mkdir', '/run/dbus']);
    const config = path.join(scratch, 'system-bus.conf');
    writeFileSync(config, BUS_CONFIG);
    // --print-address: one line once the socket listens, so firewalld finds the bus at once.
    const bus = daemon(ns, ['dbus-daemon', `--config-file=${config}`, '--nofork', '--nopidfile', '--print-address=1']);
    started.push(bus);
    await new Promise<void>((resolve, reject) => {
      bus.child.stdout!.once('data', () => resolve());
      void bus.exited.then(() => reject(new Error(`dbus-daemon exited: ${bus.output()}`)));
    });
    // --nopid: no /var/run/firewalld.pid, which would also stop a second test's daemon;
    // --log-target console: no /var/log/firewalld; its warnings land in output().
    const fw = daemon(ns, ['firewalld', '--nofork', '--nopid', '--log-target', 'console']);
    started.push(fw);
    for (const deadline = Date.now() + 60_000; ;) {
      const r = await ns.connection.exec(['firewall-cmd', '--state'], { env: { LANG: 'C', LC_ALL: 'C' } });
      if (r.stdout.trim() === 'running') break;
      if (fw.child.exitCode !== null || fw.child.signalCode !== null)
        throw new Error(`firewalld exited (${fw.child.exitCode ?? fw.child.signalCode}): ${fw.output()}`);
      if (Date.now() > deadline) throw new Error(`firewalld is not running after 60 s: ${fw.output()}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { ns, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** One daemon for this test file, started before its tests and stopped (with its bus and namespace) after. */
export function firewalldDaemon(etc: () => string, scratch: string): { d: FirewalldDaemon } {
  const box = {} as { d: FirewalldDaemon };
  beforeAll(async () => {
    box.d = await startFirewalld(etc(), scratch);
  });
  afterAll(async () => box.d?.stop());
  return box;
}
