// One node = one sshd in its own mount namespace, with the node's directories bind-mounted over
// the k3s paths. The sshd is detached so a later process can stop it by pid (stopFleet).
import { spawn } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { shellJoin } from '../../engine/connection/quote.js';
import { NODE_OVERLAYS, NODE_PATHS, nodeFiles, nodeOverlay, nodeRoot } from './layout.js';
import { SSHD } from './prerequisites.js';
import { isAlive, killTree } from './processes.js';
import { renderSshdConfig, type SshdConfigInput } from './sshd-config.js';

export type SshdNodeInput = Omit<SshdConfigInput, 'port' | 'hostKey' | 'pidFile'> & { stateDir: string; name: string };

/** A port that was free a moment ago (sshd may still lose a race for it: the caller retries). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Creates the node's directories, and the mount points on the real machine when missing (left empty). */
export async function prepareNodeDirs(stateDir: string, name: string): Promise<void> {
  const root = nodeRoot(stateDir, name);
  for (const p of NODE_PATHS) {
    await mkdir(path.join(root, p), { recursive: true, mode: 0o755 });
    await mkdir(p, { recursive: true, mode: 0o755 });
  }
  for (const d of NODE_OVERLAYS) {
    const o = nodeOverlay(stateDir, name, d);
    await mkdir(o.upper, { recursive: true, mode: 0o755 });
    await mkdir(o.work, { recursive: true, mode: 0o700 });
  }
  // sshd's privilege-separation directory lives under /run, which is the node's own.
  await mkdir(path.join(root, 'run', 'sshd'), { recursive: true, mode: 0o755 });
  await mkdir(nodeFiles(stateDir, name).dir, { recursive: true, mode: 0o755 });
}

function namespaceScript(stateDir: string, name: string, config: string): string {
  const root = nodeRoot(stateDir, name);
  // Overlays first: the k3s paths under /etc are bound on top of the node's /etc.
  const overlays = NODE_OVERLAYS.map((d) => {
    const o = nodeOverlay(stateDir, name, d);
    return shellJoin([
      'mount',
      '-t',
      'overlay',
      'overlay',
      '-o',
      `lowerdir=${d},upperdir=${o.upper},workdir=${o.work}`,
      d,
    ]);
  });
  const mounts = NODE_PATHS.map((p) => shellJoin(['mount', '--bind', path.join(root, p), p]));
  return ['set -e', ...overlays, ...mounts, `exec ${shellJoin([SSHD, '-D', '-e', '-f', config])}`].join('\n');
}

async function waitListening(pid: number, log: string, port: number, exited: () => boolean): Promise<boolean> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const text = await readFile(log, 'utf8').catch(() => '');
    if (text.includes(`Server listening on 127.0.0.1 port ${port}`)) return true;
    if (exited() || !isAlive(pid)) return false;
    await sleep(25);
  }
  return false;
}

/** Starts the node's sshd on a free port; returns its port and pid. Retries when a port race is lost. */
export async function startSshd(input: SshdNodeInput): Promise<{ port: number; pid: number }> {
  const files = nodeFiles(input.stateDir, input.name);
  let lastLog = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = renderSshdConfig({ ...input, port, hostKey: files.hostKey, pidFile: files.pidFile });
    await writeFile(files.config, config);
    const logFd = await open(files.log, 'w');
    const child = spawn(
      'unshare',
      [
        '--mount',
        '--propagation',
        'private',
        '--',
        '/bin/sh',
        '-c',
        namespaceScript(input.stateDir, input.name, files.config),
      ],
      { detached: true, stdio: ['ignore', logFd.fd, logFd.fd] },
    );
    await logFd.close();
    let exited = false;
    child.once('exit', () => (exited = true));
    child.unref();
    const pid = child.pid!;
    if (await waitListening(pid, files.log, port, () => exited)) return { port, pid };
    lastLog = await readFile(files.log, 'utf8').catch(() => '');
    await killTree(pid, 500);
    if (!/Address already in use|Cannot bind any address/.test(lastLog)) break;
  }
  throw new Error(`sshd for fleet node ${input.name} did not start:\n${lastLog.trim()}`);
}

/** Stops a node's sshd and every session below it, if `pid` is still that sshd. */
export async function stopSshd(stateDir: string, name: string, pid: number): Promise<void> {
  const config = nodeFiles(stateDir, name).config;
  const cmdline = (await readFile(`/proc/${pid}/cmdline`).catch(() => Buffer.alloc(0))).toString();
  // After a reboot or pid reuse the number may name another process: only kill our sshd.
  if (!cmdline.includes(config)) return;
  await killTree(pid);
}
