// The floor: the same commands sent with the OpenSSH client over one ControlMaster connection
// per host (ControlPersist keeps it between commands), with the fleet's key and known_hosts.
// What no tool built on `ssh` can beat: a process per command, one TCP connection per host.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { FleetNode } from '../../sandbox/fleet/index.js';

export type FloorTarget = Pick<FleetNode, 'name' | 'port'>;

export class ControlMasterFloor {
  /** Short on purpose: a unix socket path must fit in 108 bytes. */
  readonly dir = mkdtempSync('/tmp/hbcm-');

  constructor(private readonly auth: { key: string; knownHosts: string }) {}

  private argv(t: FloorTarget, extra: string[]): string[] {
    return [
      '-F',
      '/dev/null',
      '-o',
      'ControlMaster=auto',
      '-o',
      `ControlPath=${path.join(this.dir, '%C')}`,
      '-o',
      'ControlPersist=60',
      '-o',
      'BatchMode=yes',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      `UserKnownHostsFile=${this.auth.knownHosts}`,
      '-i',
      this.auth.key,
      '-p',
      String(t.port),
      ...extra,
      'root@127.0.0.1',
    ];
  }

  /** One shell command on `t`; rejects when it exits non-zero. */
  run(t: FloorTarget, command: string, stdin?: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('ssh', [...this.argv(t, []), command], { stdio: ['pipe', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin ?? '');
      child.on('error', reject);
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new Error(`ssh ${t.name} ${command}: exit ${code}: ${stderr.trim()}`)),
      );
    });
  }

  /** Ends the masters (outside the timed part), so the next run connects afresh as herdbook does. */
  async closeAll(targets: readonly FloorTarget[]): Promise<void> {
    await Promise.all(
      targets.map(
        (t) =>
          new Promise<void>((resolve) => {
            const child = spawn('ssh', [...this.argv(t, ['-O', 'exit'])], { stdio: 'ignore' });
            child.on('error', () => resolve());
            child.on('close', () => resolve());
          }),
      ),
    );
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
