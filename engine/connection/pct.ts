// The `pct` connection: a Proxmox LXC container reached through its Proxmox host. Every
// command becomes `pct exec <vmid> -- ...` over the host's one connection (shared by all
// its containers), with sudo when that connection's user is not root. Files are piped in
// through `sh -c 'cat > tmp && mv tmp dest'`, like community.proxmox's pct_remote; env values
// travel on stdin, not on the Proxmox host's command line.
import { UnreachableError } from '../errors.js';
import { envFromStdin } from './env-stdin.js';
import { putScript } from './put-script.js';
import { shellJoin } from './quote.js';
import type { CommandSpec, Connection, ConnectionSettings, ExecOptions, ExecResult, GetOptions, PutOptions } from './types.js';

const PCT_FAILURE = /^(Configuration file '.*' does not exist|container '\d+' not running!|no command specified)/m;

export class PctConnection implements Connection {
  readonly kind = 'pct';
  readonly host: string;
  private readonly vmid: number;
  private readonly sudo: boolean;

  constructor(settings: ConnectionSettings, private readonly proxmox: Connection) {
    this.host = settings.host;
    this.vmid = settings.pctVmid!;
    // `pct` needs root on the Proxmox node (reference/proxmox.md).
    this.sudo = Boolean(settings.pctSudo ?? false);
  }

  /**
   * The argv run on the Proxmox host for a command inside the container, and its stdin: env
   * values go ahead of the command's own stdin, never on the host's command line (`ps`).
   */
  wrap(cmd: CommandSpec, opts: ExecOptions = {}): { argv: string[]; stdin?: string | Buffer } {
    let inner: string[] = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : [...cmd];
    if (opts.cwd) inner = ['/bin/sh', '-c', `cd ${shellJoin([opts.cwd])} && exec ${shellJoin(inner)}`];
    if (opts.become && opts.becomeUser && opts.becomeUser !== 'root') inner = ['runuser', '-u', opts.becomeUser, '--', ...inner];
    let stdin = opts.stdin;
    if (opts.env && Object.keys(opts.env).length) ({ argv: inner, stdin } = envFromStdin(opts.env, inner, opts.stdin));
    return { argv: [...(this.sudo ? ['sudo', '-n'] : []), 'pct', 'exec', String(this.vmid), '--', ...inner], stdin };
  }

  async exec(cmd: CommandSpec, opts: ExecOptions = {}): Promise<ExecResult> {
    const { become: _b, becomeUser: _u, env: _e, cwd: _c, stdin: _s, ...rest } = opts;
    const { argv, stdin } = this.wrap(cmd, opts);
    const r = await this.proxmox.exec(argv, stdin === undefined ? rest : { ...rest, stdin });
    // pct's own refusals (unknown or stopped container) make the container unreachable.
    if (r.rc !== 0 && PCT_FAILURE.test(r.stderr) && !r.stdout) {
      throw new UnreachableError(this.host, 'other', `container ${this.vmid} on ${this.proxmox.host}: ${r.stderr.trim().split('\n')[0]}`);
    }
    return r;
  }

  async put(data: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
    // umask 077 in the script: the temp file is private until it has its final mode.
    const stdin = typeof data === 'string' ? Buffer.from(data) : data;
    const r = await this.exec(['/bin/sh', '-c', putScript(dest, opts)], { stdin, become: opts.become, becomeUser: opts.becomeUser });
    if (r.rc !== 0) throw new Error(`writing ${dest} in container ${this.vmid}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  }

  async get(src: string, opts: GetOptions = {}): Promise<Buffer> {
    // maxBuffer 0 keeps no copy of either stream in the result: stderr is collected here too.
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    const r = await this.exec(['cat', '--', src], { onStdout: (b) => chunks.push(b), onStderr: (b) => errs.push(b), maxBuffer: 0, become: opts.become, becomeUser: opts.becomeUser });
    if (r.rc !== 0) throw new Error(`reading ${src} in container ${this.vmid}: ${Buffer.concat(errs).toString('utf8').trim() || `exit ${r.rc}`}`);
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    // The Proxmox host's connection is shared with its other containers; the pool closes it.
  }
}

export function createPctConnection(settings: ConnectionSettings, proxmox: Connection): PctConnection {
  return new PctConnection(settings, proxmox);
}
