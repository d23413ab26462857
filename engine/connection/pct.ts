// The `pct` connection: a Proxmox LXC container reached through its Proxmox host. Every
// command becomes `pct exec <vmid> -- ...` over the host's one connection (shared by all
// its containers), with sudo when that connection's user is not root. Files are piped in
// through `sh -c 'cat > tmp && mv tmp dest'`, like community.proxmox's pct_remote.
import { randomBytes } from 'node:crypto';
import { UnreachableError } from '../errors.js';
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

  /** The argv run on the Proxmox host for a command inside the container. */
  wrap(cmd: CommandSpec, opts: ExecOptions = {}): string[] {
    let inner: string[] = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : [...cmd];
    if (opts.cwd) inner = ['/bin/sh', '-c', `cd ${shellJoin([opts.cwd])} && exec ${shellJoin(inner)}`];
    if (opts.become && opts.becomeUser && opts.becomeUser !== 'root') inner = ['runuser', '-u', opts.becomeUser, '--', ...inner];
    if (opts.env && Object.keys(opts.env).length) inner = ['env', ...Object.entries(opts.env).map(([k, v]) => `${k}=${v}`), ...inner];
    return [...(this.sudo ? ['sudo', '-n'] : []), 'pct', 'exec', String(this.vmid), '--', ...inner];
  }

  async exec(cmd: CommandSpec, opts: ExecOptions = {}): Promise<ExecResult> {
    const { become: _b, becomeUser: _u, env: _e, cwd: _c, ...rest } = opts;
    const r = await this.proxmox.exec(this.wrap(cmd, opts), rest);
    // pct's own refusals (unknown or stopped container) make the container unreachable.
    if (r.rc !== 0 && PCT_FAILURE.test(r.stderr) && !r.stdout) {
      throw new UnreachableError(this.host, 'other', `container ${this.vmid} on ${this.proxmox.host}: ${r.stderr.trim().split('\n')[0]}`);
    }
    return r;
  }

  async put(data: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
    const tmp = `${dest.replace(/\/[^/]*$/, '') || '.'}/.herdbook-${randomBytes(6).toString('hex')}.tmp`;
    const steps = [`cat > ${shellJoin([tmp])}`];
    if (opts.mode !== undefined) steps.push(`chmod ${shellJoin([typeof opts.mode === 'number' ? opts.mode.toString(8) : opts.mode, tmp])}`);
    if (opts.owner || opts.group) steps.push(`chown ${shellJoin([`${opts.owner ?? ''}${opts.group ? ':' + opts.group : ''}`, tmp])}`);
    steps.push(`mv -f ${shellJoin([tmp, dest])}`);
    const script = `${steps.join(' && ')} || { rm -f ${shellJoin([tmp])}; exit 1; }`;
    const r = await this.exec(['/bin/sh', '-c', script], { stdin: typeof data === 'string' ? Buffer.from(data) : data });
    if (r.rc !== 0) throw new Error(`writing ${dest} in container ${this.vmid}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  }

  async get(src: string, _opts: GetOptions = {}): Promise<Buffer> {
    const chunks: Buffer[] = [];
    const r = await this.exec(['cat', src], { onStdout: (b) => chunks.push(b), maxBuffer: 0 });
    if (r.rc !== 0) throw new Error(`reading ${src} in container ${this.vmid}: ${r.stderr.trim() || `exit ${r.rc}`}`);
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    // The Proxmox host's connection is shared with its other containers; the pool closes it.
  }
}

export function createPctConnection(settings: ConnectionSettings, proxmox: Connection): PctConnection {
  return new PctConnection(settings, proxmox);
}
