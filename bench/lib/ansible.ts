// The Ansible column: Debian's `ansible` package (installed with apt-get when missing and we are
// root), tuned as its documentation advises for speed: pipelining, ControlPersist, no fact
// gathering, a fixed interpreter (no discovery round trip), forks = the host count.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureDebianPackage, type Availability } from './apt-install.js';
import { sampleRss } from './rss.js';

export type AnsibleAvailability = Availability;

function version(): string | undefined {
  const r = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : undefined;
}

/** ansible-playbook's version line, installing Debian's package first when allowed. */
export function ensureAnsible(log: (msg: string) => void): AnsibleAvailability {
  return ensureDebianPackage('ansible', version, 'Ansible', log);
}

export type AnsibleRun = { wallMs: number; rssMb: number };

export class AnsibleRunner {
  readonly dir: string;

  /** `strategy`: a strategy plugin instead of linear (mitogen_linear for the Mitogen column). */
  constructor(
    parent: string,
    private readonly strategy?: string,
  ) {
    this.dir = mkdtempSync(path.join(parent, strategy ? `${strategy}-` : 'ansible-'));
  }

  /** ansible.cfg for `forks`, with a fresh ControlPath directory (no master left from an earlier run). */
  private config(forks: number, controlDir: string): string {
    const file = path.join(this.dir, 'ansible.cfg');
    writeFileSync(
      file,
      [
        '[defaults]',
        `forks = ${forks}`,
        ...(this.strategy ? [`strategy = ${this.strategy}`] : []),
        'gathering = explicit',
        'host_key_checking = True',
        'retry_files_enabled = False',
        'interpreter_python = /usr/bin/python3',
        `local_tmp = ${path.join(this.dir, 'tmp')}`,
        '',
        '[ssh_connection]',
        'pipelining = True',
        // Ansible's default minus -C: compression only costs CPU on loopback.
        'ssh_args = -o ControlMaster=auto -o ControlPersist=60s',
        `control_path_dir = ${controlDir}`,
        '',
      ].join('\n'),
    );
    return file;
  }

  /** One timed `ansible-playbook` run; its peak memory is the sampled sum over its processes and its ssh masters. */
  async run(playbook: string, inventory: string, forks: number): Promise<AnsibleRun> {
    // Short: ControlPath sockets must fit in 108 bytes.
    const controlDir = mkdtempSync('/tmp/hbans-');
    const cfg = this.config(forks, controlDir);
    mkdirSync(path.join(this.dir, 'tmp'), { recursive: true });
    try {
      return await new Promise<AnsibleRun>((resolve, reject) => {
        const started = performance.now();
        const child = spawn('ansible-playbook', ['-i', inventory, playbook], {
          cwd: this.dir,
          env: { ...process.env, ANSIBLE_CONFIG: cfg, ANSIBLE_NOCOLOR: '1', ANSIBLE_FORCE_COLOR: '0' },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        const sampler = sampleRss({ roots: () => (child.pid ? [child.pid] : []), marker: controlDir });
        let out = '';
        child.stdout.on('data', (b: Buffer) => (out += b.toString()));
        child.stderr.on('data', (b: Buffer) => (out += b.toString()));
        child.on('error', reject);
        child.on('close', (code) => {
          const wallMs = performance.now() - started;
          const rssMb = sampler.stop();
          if (code !== 0 || !/failed=0/.test(out) || /unreachable=[1-9]/.test(out))
            return reject(new Error(`ansible-playbook exited ${code}:\n${out.slice(-3000)}`));
          resolve({ wallMs, rssMb });
        });
      });
    } finally {
      stopMasters(controlDir);
      rmSync(controlDir, { recursive: true, force: true });
    }
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Ends the ControlPersist masters Ansible left behind (they would otherwise live 60 s more). */
function stopMasters(controlDir: string): void {
  for (const sock of readdirSync(controlDir)) {
    spawnSync('ssh', ['-F', '/dev/null', '-o', `ControlPath=${path.join(controlDir, sock)}`, '-O', 'exit', 'x'], {
      stdio: 'ignore',
    });
  }
}
