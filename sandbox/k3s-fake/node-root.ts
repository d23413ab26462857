// Running a command "on" a node without its sshd: a private mount namespace where each of the
// fleet's per-node paths is a bind mount of `<nodeRoot>/<path>`, exactly what the node sees.
// Tests use it, and so does preinstallK3s. Mount points missing on this machine (/etc/rancher,
// /var/lib/rancher, /etc/pve) are created empty, as the fleet must; nothing is written into them.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { NODE_PATHS } from '../fleet/layout.js';

export type RunResult = { code: number; stdout: string; stderr: string };
export type RunOptions = { env?: Record<string, string>; input?: string | Buffer };

export const NODE_ENV_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

// $1 = node root, $2 = the PATH the command gets, then the paths to bind, `--`, the command.
// The mounts use the system PATH; exit 125 when one fails.
const MOUNT_SCRIPT = `root=$1; user_path=$2; shift 2
while [ "$1" != -- ]; do
  mkdir -p "$root$1" && mkdir -p "$1" && mount --bind "$root$1" "$1" || { echo "cannot bind $root$1 on $1" >&2; exit 125; }
  shift
done
shift
PATH=$user_path; export PATH
exec "$@"`;

const SYSTEM_PATH = '/usr/sbin:/usr/bin:/sbin:/bin';
const UNSHARE = ['/usr/bin/unshare', '/bin/unshare'].find((p) => existsSync(p)) ?? 'unshare';

function unshareArgs(nodeRoot: string, userPath: string, argv: readonly string[]): string[] {
  return [
    '--mount',
    '--propagation',
    'private',
    '--',
    '/bin/sh',
    '-c',
    MOUNT_SCRIPT,
    'sh',
    path.resolve(nodeRoot),
    userPath,
    ...NODE_PATHS,
    '--',
    ...argv,
  ];
}

/** A clean environment: nothing of the caller's (no stray K3S_* reaches an env file). */
function nodeEnv(extra: Record<string, string> = {}): { env: Record<string, string>; userPath: string } {
  const env = { PATH: NODE_ENV_PATH, HOME: '/root', LANG: 'C.UTF-8', ...extra };
  return { env: { ...env, PATH: SYSTEM_PATH }, userPath: env.PATH };
}

export async function runInNodeRoot(
  nodeRoot: string,
  argv: readonly string[],
  opts: RunOptions = {},
): Promise<RunResult> {
  await mkdir(nodeRoot, { recursive: true });
  return new Promise((resolve, reject) => {
    const { env, userPath } = nodeEnv(opts.env);
    const child = spawn(UNSHARE, unshareArgs(nodeRoot, userPath, argv), { env, cwd: '/' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code ?? (signal ? 128 : 1),
        stdout: Buffer.concat(out).toString(),
        stderr: Buffer.concat(err).toString(),
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(opts.input);
  });
}

export type NodeHolder = { pid: number; stop(): Promise<void> };

/**
 * A long-lived process in a node's mount namespace, standing in for the node's sshd where a PID
 * is needed (a container for the fake pct) and no fleet runs.
 */
export async function startNodeHolder(nodeRoot: string): Promise<NodeHolder> {
  await mkdir(nodeRoot, { recursive: true });
  const { env, userPath } = nodeEnv();
  const child = spawn(UNSHARE, unshareArgs(nodeRoot, userPath, ['sh', '-c', 'echo ready; exec sleep 2147483647']), {
    env,
    cwd: '/',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`node holder exited (${code}): ${err}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
