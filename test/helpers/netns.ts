// A private network namespace (and mount namespace) for firewall tests: iptables, ufw and
// firewalld change the namespace's rules, never this machine's. A holder process keeps the
// namespaces alive; the connection runs every command in them through nsenter, so a module sees
// a host whose firewall is empty and whose `binds` (private copies of /etc/ufw, ...) are its own.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import type { CommandSpec, Connection, ExecOptions, GetOptions, PutOptions } from '../../engine/connection/types.js';
import { shellJoin } from '../../engine/connection/quote.js';

export type NetnsHost = { pid: number; connection: Connection; stop(): Promise<void> };

/**
 * Starts the holder: `binds` maps a real directory to the private copy mounted over it inside;
 * `env` is added to every command's environment (SSH_CONNECTION, as sshd sets it).
 */
export async function startNetns(
  binds: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<NetnsHost> {
  const mounts = Object.entries(binds).map(([dir, copy]) => shellJoin(['mount', '--bind', copy, dir]));
  const script = ['set -e', 'ip link set lo up 2>/dev/null || true', ...mounts, 'echo ready', 'exec sleep 2147483647'];
  const child = spawn(
    'unshare',
    ['--net', '--mount', '--propagation', 'private', '--', '/bin/sh', '-c', script.join('\n')],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`netns holder exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const pid = child.pid!;
  const local = new LocalConnection('netns');
  const enter = (cmd: CommandSpec) => [
    'nsenter',
    '-t',
    String(pid),
    '-n',
    '-m',
    '--',
    ...(typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : cmd),
  ];
  const connection: Connection = {
    host: 'netns',
    kind: 'local',
    exec: (cmd, opts: ExecOptions = {}) => local.exec(enter(cmd), { ...opts, env: { ...env, ...opts.env } }),
    put: async (data: Buffer | string, dest: string, opts: PutOptions = {}) => {
      const r = await local.exec(
        enter([
          'sh',
          '-c',
          'cat > "$1" && chmod "$2" "$1"',
          'sh',
          dest,
          typeof opts.mode === 'number' ? opts.mode.toString(8) : (opts.mode ?? '0644'),
        ]),
        {
          stdin: data,
        },
      );
      if (r.rc !== 0) throw new Error(`put ${dest}: ${r.stderr}`);
    },
    get: async (src: string, _opts?: GetOptions) => {
      const r = await local.exec(enter(['base64', '-w0', '--', src]));
      if (r.rc !== 0) throw new Error(`get ${src}: ${r.stderr}`);
      return Buffer.from(r.stdout, 'base64');
    },
    close: async () => undefined,
  };
  return {
    pid,
    connection,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** One namespace for this test file, started before its tests and stopped after. */
export function netnsHost(binds?: () => Record<string, string>, env?: Record<string, string>): { h: NetnsHost } {
  const box = {} as { h: NetnsHost };
  beforeAll(async () => {
    box.h = await startNetns(binds?.(), env);
  });
  afterAll(async () => box.h?.stop());
  return box;
}
