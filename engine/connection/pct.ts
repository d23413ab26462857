// The `pct` connection: a Proxmox LXC container reached through its Proxmox host. Every
// command becomes `pct exec <vmid> -- ...` over the host's one connection (shared by all
// its containers), with sudo when that connection's user is not root. Files are piped in
// through `sh -c 'cat > tmp && mv tmp dest'`, like community.proxmox's pct_remote; env values
// travel on stdin, not on the Proxmox host's command line.
//
// pct's own failures (a stopped or unknown container, pct missing or refused by sudo) must never
// pass for the command's result: a stopped container would read as "k3s is not installed". pct
// exits 255 for them, and so may any command: the status cannot tell. So the shell pct starts in
// the container prints a marker line on stderr before it becomes the command. A failure without
// the marker is pct's; only then does `pct status` name the container's state. That costs no
// extra round trip when the command ran, whatever its status (a `pct status` before every
// command, or after every exit 255, would).
//
// With the persistent executor on (pct-executor.ts), a command goes to the container's agent
// instead: its start is reported by the agent itself, so no marker is needed there; a command the
// agent could not take goes through `pct exec` as above, which says why the container is not there.
import { randomBytes } from 'node:crypto';
import { InterruptedError, UnreachableError } from '../errors.js';
import { executorEnabled } from './executor/enabled.js';
import { ExecutorLostError, type ExecutorSession } from './executor/session.js';
import { killTreeScript } from './kill-tree.js';
import { PctExecutor, type PctExecutorNotice } from './pct-executor.js';
import { envFromStdin } from './env-stdin.js';
import { markerLine } from './marker-line.js';
import { describePctFailure, pctState } from './pct-failure.js';
import { putScript } from './put-script.js';
import { shellJoin } from './quote.js';
import type {
  CommandSpec,
  Connection,
  ConnectionSettings,
  ExecOptions,
  ExecResult,
  GetOptions,
  PutOptions,
} from './types.js';

/** How long the `pct status` that explains a failure may take. */
const STATUS_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;
/** Larger stdin goes through `pct exec` (the agent holds a request whole). */
const EXECUTOR_STDIN_MAX = 8 * 1024 * 1024;

/** A command's result with its output as bytes (file reads must not pass through UTF-8). */
type RawResult = Omit<ExecResult, 'stdout' | 'stderr'> & { stdout: Buffer; stderr: Buffer };

export class PctConnection implements Connection {
  readonly kind = 'pct';
  readonly host: string;
  readonly vmid: number;
  private readonly sudo: boolean;
  readonly container: { proxmoxHost: string; vmid: number };

  private readonly executor?: PctExecutor;

  constructor(
    settings: ConnectionSettings,
    private readonly proxmox: Connection,
    onExecutor?: (n: PctExecutorNotice) => void,
  ) {
    this.host = settings.host;
    this.vmid = settings.pctVmid!;
    this.container = { proxmoxHost: settings.pctHost ?? proxmox.host, vmid: this.vmid };
    // `pct` needs root on the Proxmox node (reference/proxmox.md).
    this.sudo = Boolean(settings.pctSudo ?? false);
    const node = proxmox.spawn ? (proxmox as Connection & Required<Pick<Connection, 'spawn'>>) : undefined;
    if (node && executorEnabled(settings.executor))
      this.executor = new PctExecutor(
        node,
        this.vmid,
        this.pct(['exec', String(this.vmid), '--', '/bin/sh', '-s']),
        onExecutor ?? (() => undefined),
      );
  }

  /** `pct ...` as run on the Proxmox node: through `sudo -n` when its login user is not root. */
  private pct(args: string[]): string[] {
    return [...(this.sudo ? ['sudo', '-n'] : []), 'pct', ...args];
  }

  /** The Proxmox node's inventory host (or address): where `pct` runs. */
  get proxmoxHost(): string {
    return this.proxmox.host;
  }

  /**
   * `pct status|start <vmid>` on the Proxmox node: about the container, not a command in it, so
   * it works on a stopped one (a preflight's question). status is safe to retry; start is not.
   */
  pctCommand(sub: 'status' | 'start', opts: { signal?: AbortSignal; timeout?: number } = {}): Promise<ExecResult> {
    return this.proxmox.exec(this.pct([sub, String(this.vmid)]), {
      idempotent: sub === 'status',
      timeout: opts.timeout ?? STATUS_TIMEOUT_MS,
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  }

  /**
   * The argv run on the Proxmox host for a command inside the container, and its stdin: env
   * values go ahead of the command's own stdin, never on the host's command line (`ps`). With a
   * marker, the container's shell prints it on stderr, then execs the command (same process).
   */
  wrap(cmd: CommandSpec, opts: ExecOptions = {}, marker?: string): { argv: string[]; stdin?: string | Buffer } {
    const { argv, stdin } = this.inContainer(cmd, opts);
    const inner = marker ? ['/bin/sh', '-c', `printf '%s\\n' ${marker} >&2; exec "$@"`, 'sh', ...argv] : argv;
    return { argv: this.pct(['exec', String(this.vmid), '--', ...inner]), stdin };
  }

  /** The argv run inside the container (as root: pct exec's user) and its stdin, env values ahead. */
  private inContainer(cmd: CommandSpec, opts: ExecOptions): { argv: string[]; stdin?: string | Buffer } {
    let inner: string[] = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : [...cmd];
    if (opts.cwd) inner = ['/bin/sh', '-c', `cd ${shellJoin([opts.cwd])} && exec ${shellJoin(inner)}`];
    if (opts.become && opts.becomeUser && opts.becomeUser !== 'root')
      inner = ['runuser', '-u', opts.becomeUser, '--', ...inner];
    let stdin = opts.stdin;
    if (opts.env && Object.keys(opts.env).length) ({ argv: inner, stdin } = envFromStdin(opts.env, inner, opts.stdin));
    return { argv: inner, stdin };
  }

  /** Whether a command may go to the agent: not one streaming its output, not a huge stdin. */
  private executorFits(opts: ExecOptions): boolean {
    if (!this.executor || opts.onStdout || opts.onStderr) return false;
    return opts.stdin === undefined || opts.stdin.length <= EXECUTOR_STDIN_MAX;
  }

  /**
   * The command through the container's agent; undefined when no agent took it (none idle, or
   * the session ended before it started it): then it goes through `pct exec`.
   */
  private async viaAgent(cmd: CommandSpec, opts: ExecOptions, maxBuffer: number): Promise<RawResult | undefined> {
    if (opts.signal?.aborted) throw new InterruptedError();
    const ex: ExecutorSession | undefined = await this.executor!.idle();
    if (!ex) return undefined;
    const { argv, stdin } = this.inContainer(cmd, opts);
    try {
      const r = await ex.run({
        line: shellJoin(argv),
        simple: true,
        ...(stdin === undefined ? {} : { stdin: Buffer.from(stdin) }),
        timeout: opts.timeout,
        signal: opts.signal,
        maxBuffer,
        kill: (pgid) => this.killInContainer(pgid),
      });
      const out: RawResult = { rc: r.rc, stdout: r.stdout, stderr: r.stderr };
      if (r.signal) out.signal = r.signal;
      if (r.timedOut) out.timedOut = true;
      if (r.truncated) out.truncated = true;
      return out;
    } catch (e) {
      if (!(e instanceof ExecutorLostError)) throw e;
      if (!e.started) return undefined;
      // Started, then the session went (the container stopped, pct was killed): never re-run.
      const status = await this.pctCommand('status').catch(() => undefined);
      const state = status?.rc === 0 ? pctState(status.stdout) : undefined;
      if (state && state !== 'running')
        throw new UnreachableError(
          this.host,
          'container',
          `container ${this.vmid} (${this.host}) on ${this.proxmox.host} is ${state}: it stopped while running ${typeof cmd === 'string' ? cmd : shellJoin(cmd)}, which may or may not have completed and was not re-run`,
        );
      return {
        rc: 255,
        stdout: Buffer.alloc(0),
        stderr: Buffer.from(
          `herdbook: ${e.message} while running the command; it may or may not have completed, and was not re-run\n`,
        ),
      };
    }
  }

  /** A timeout or Ctrl-C: the command's process tree in the container, killed from a `pct exec` of its own. */
  private async killInContainer(pgid: number): Promise<void> {
    await this.proxmox.exec(this.pct(['exec', String(this.vmid), '--', '/bin/sh', '-c', killTreeScript(pgid)]), {
      timeout: 10_000,
    });
  }

  async exec(cmd: CommandSpec, opts: ExecOptions = {}): Promise<ExecResult> {
    if (this.executorFits(opts)) {
      const r = await this.viaAgent(cmd, opts, opts.maxBuffer ?? DEFAULT_MAX_BUFFER);
      if (r) return { ...r, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
    }
    const { become: _b, becomeUser: _u, env: _e, cwd: _c, stdin: _s, onStderr, ...rest } = opts;
    const marker = `herdbook-pct-${randomBytes(6).toString('hex')}`;
    const { argv, stdin } = this.wrap(cmd, opts, marker);
    const seen = markerLine(marker);
    const toCaller = (b: Buffer) => {
      if (b.length) onStderr?.(b);
    };
    let r: ExecResult;
    try {
      r = await this.proxmox.exec(argv, {
        ...rest,
        ...(stdin === undefined ? {} : { stdin }),
        onStderr: (c) => toCaller(seen.push(c)),
      });
    } catch (e) {
      if (e instanceof UnreachableError && e.host !== this.host) {
        throw new UnreachableError(
          this.host,
          e.reason,
          `container ${this.vmid} (${this.host}) through ${this.proxmox.host}: ${e.message}`,
          { cause: e },
        );
      }
      throw e;
    }
    toCaller(seen.flush());
    // The result's copy of stderr (up to maxBuffer) still has the marker line: take it off too.
    const kept = markerLine(marker);
    const stderr = Buffer.concat([kept.push(Buffer.from(r.stderr)), kept.flush()]).toString('utf8');
    if (seen.found() || r.rc === 0 || r.timedOut || r.signal) return { ...r, stderr };
    throw await this.notStarted(r, opts.signal);
  }

  /** pct did not start the command: why, with the container's state from `pct status`. */
  private async notStarted(exec: ExecResult, signal?: AbortSignal): Promise<UnreachableError> {
    const status = await this.pctCommand('status', signal ? { signal } : {});
    const { reason, message } = describePctFailure({
      vmid: this.vmid,
      host: this.host,
      node: this.proxmox.host,
      exec,
      status,
    });
    return new UnreachableError(this.host, reason, message);
  }

  async put(data: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
    // umask 077 in the script: the temp file is private until it has its final mode.
    const stdin = typeof data === 'string' ? Buffer.from(data) : data;
    const r = await this.exec(['/bin/sh', '-c', putScript(dest, opts)], {
      stdin,
      become: opts.become,
      becomeUser: opts.becomeUser,
    });
    if (r.rc !== 0) throw new Error(`writing ${dest} in container ${this.vmid}: ${r.stderr.trim() || `exit ${r.rc}`}`);
  }

  async get(src: string, opts: GetOptions = {}): Promise<Buffer> {
    if (this.executor) {
      const r = await this.viaAgent(['cat', '--', src], opts, Number.POSITIVE_INFINITY);
      if (r && r.rc === 0) return r.stdout;
      if (r)
        throw new Error(
          `reading ${src} in container ${this.vmid}: ${r.stderr.toString('utf8').trim() || `exit ${r.rc}`}`,
        );
    }
    // maxBuffer 0 keeps no copy of either stream in the result: stderr is collected here too.
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    const r = await this.exec(['cat', '--', src], {
      onStdout: (b) => chunks.push(b),
      onStderr: (b) => errs.push(b),
      maxBuffer: 0,
      become: opts.become,
      becomeUser: opts.becomeUser,
    });
    if (r.rc !== 0)
      throw new Error(
        `reading ${src} in container ${this.vmid}: ${Buffer.concat(errs).toString('utf8').trim() || `exit ${r.rc}`}`,
      );
    return Buffer.concat(chunks);
  }

  async close(): Promise<void> {
    // The Proxmox host's connection is shared with its other containers; the pool closes it.
    await this.executor?.close();
  }
}

export function createPctConnection(
  settings: ConnectionSettings,
  proxmox: Connection,
  onExecutor?: (n: PctExecutorNotice) => void,
): PctConnection {
  return new PctConnection(settings, proxmox, onExecutor);
}
