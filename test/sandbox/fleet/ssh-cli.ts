// Runs a command on a fleet node with the real OpenSSH client, so fleet tests do not depend on
// herdbook's own ssh connection.
import { spawn } from 'node:child_process';
import type { Fleet, FleetNode } from '../../../sandbox/fleet/index.js';

export type CliResult = { rc: number; stdout: string; stderr: string };

export function sshCli(
  fleet: Fleet,
  node: FleetNode,
  command: string,
  opts: { user?: string; knownHosts?: string; input?: string; extra?: string[] } = {},
): Promise<CliResult> {
  const args = [
    '-F',
    '/dev/null',
    '-i',
    fleet.clientKeyPath,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${opts.knownHosts ?? fleet.knownHostsPath}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-p',
    String(node.port),
    ...(opts.extra ?? []),
    `${opts.user ?? 'root'}@${node.address}`,
    command,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('ssh', args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (rc) => resolve({ rc: rc ?? -1, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}
