// The `ssh` Connection: one persistent SSH connection per host, opened on first use, with every
// command on its own channel. A dropped connection is re-opened for the next command; the one it
// interrupted fails (or, when marked idempotent, runs once more).
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { HerdbookError, InterruptedError } from '../../errors.js';
import type {
  AgentProcess,
  CommandSpec,
  Connection,
  ConnectionSettings,
  ExecOptions,
  ExecResult,
  GetOptions,
  PutOptions,
} from '../types.js';
import type { BastionPool } from './bastions.js';
import { loginRefused } from './classify.js';
import { buildAgentCommand, buildCommand } from './command.js';
import { killTreeScript } from '../kill-tree.js';
import { executorEnabled } from '../executor/enabled.js';
import { ExecutorLostError, type ExecutorSession } from '../executor/session.js';
import { SshExecutor, openProcess } from './executor.js';
import { shellJoin } from '../quote.js';
import { runChannel } from './exec.js';
import { openSession, DroppedError, type Session } from './session.js';
import { resolveSshSettings } from './settings.js';
import { execPut, get, getByCat, put, type Exec } from './transfer.js';
import type { RawResult, ResolvedSsh, SshDeps } from './types.js';

const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;
/** Larger stdin (and files larger than this) go on a channel of their own (SFTP for files). */
const EXECUTOR_STDIN_MAX = 8 * 1024 * 1024;

export class SshConnection implements Connection {
  readonly host: string;
  readonly kind = 'ssh';
  private readonly settings: ConnectionSettings;
  private readonly deps: SshDeps;
  private resolved?: ResolvedSsh;
  private current?: Promise<Session>;
  private closed = false;

  private readonly bastions?: BastionPool;
  private readonly executor?: SshExecutor;

  /** `bastions`: ProxyJump connections shared with other hosts (the pool passes its own). */
  constructor(settings: ConnectionSettings, deps: SshDeps = {}, bastions?: BastionPool) {
    this.host = settings.host;
    this.settings = settings;
    this.deps = deps;
    this.bastions = bastions;
    if (executorEnabled(settings.executor))
      this.executor = new SshExecutor((n) => deps.onEvent?.({ type: 'executor', host: this.host, ...n }));
  }

  /** The connection, opened (or re-opened after a drop) on demand. */
  private session(): Promise<Session> {
    if (this.closed) return Promise.reject(new HerdbookError('E_CLOSED', `connection to ${this.host} is closed`));
    if (!this.current) {
      const opening = (async () => {
        this.resolved ??= resolveSshSettings(this.settings, this.deps);
        const s = await openSession(this.resolved, this.deps, this.bastions);
        void s.dropped.then(() => {
          if (this.current === opening) this.current = undefined;
        });
        return s;
      })();
      this.current = opening;
      opening.catch(() => {
        if (this.current === opening) this.current = undefined;
      });
    }
    return this.current;
  }

  private async run(cmd: CommandSpec, opts: ExecOptions, maxBuffer: number, killable = true): Promise<RawResult> {
    const becomePassword = opts.become ? this.settings.becomePassword : undefined;
    const built = buildCommand(
      cmd,
      { ...opts, becomePassword: becomePassword !== undefined },
      randomBytes(8).toString('hex'),
    );
    const io = {
      stdin: built.stdinHead
        ? Buffer.concat([built.stdinHead, opts.stdin === undefined ? Buffer.alloc(0) : Buffer.from(opts.stdin)])
        : opts.stdin,
      onStdout: opts.onStdout,
      onStderr: opts.onStderr,
      maxBuffer,
      timeout: opts.timeout,
      signal: opts.signal,
      becomePassword,
      // As the user the command runs as (a root command under sudo needs root to kill it); the
      // kill itself is never killed in turn, and gives up after a while.
      killGroup: killable
        ? async (pgid: number, asLoginUser: boolean) => {
            const become = opts.become && !asLoginUser;
            await this.run(killTreeScript(pgid), { become, becomeUser: opts.becomeUser, timeout: 10_000 }, 4096, false);
          }
        : undefined,
    };
    for (let attempt = 1; ; attempt++) {
      const s = await this.session();
      const ex = this.executorFits(opts, killable) ? await this.executor!.idle(s) : undefined;
      let r: RawResult;
      try {
        const onChannel = () => {
          this.deps.onEvent?.({ type: 'command', host: this.host, line: built.line });
          return runChannel(s, built, io);
        };
        r = ex ? await this.viaExecutor(s, ex, cmd, opts, io, onChannel) : await onChannel();
      } catch (e) {
        // Never started: safe to send again. Started: only read-only probes may run twice.
        const retry = e instanceof DroppedError && attempt === 1 && (!e.started || opts.idempotent === true);
        if (!retry) throw e;
        continue;
      }
      // No pid line and a failure: the login shell never ran our line, so this status is the
      // login's (nologin, /bin/false, a forced command), not the command's.
      if (!r.started && r.rc !== 0 && !r.timedOut && !r.signal) throw loginRefused(this.host, this.resolved!.target, r);
      return r;
    }
  }

  /**
   * Whether a command may go through the executor. Not a kill (it never waits behind the command
   * it kills), not a command streaming its output as it comes (the executor returns it at the
   * end: `-vv` progress), not a stdin too big to hold in one request.
   */
  private executorFits(opts: ExecOptions, killable: boolean): boolean {
    if (!this.executor || !killable || opts.onStdout || opts.onStderr) return false;
    return opts.stdin === undefined || opts.stdin.length <= EXECUTOR_STDIN_MAX;
  }

  /** One command through the persistent executor; results and failures as runChannel gives them. */
  private async viaExecutor(
    s: Session,
    ex: ExecutorSession,
    cmd: CommandSpec,
    opts: ExecOptions,
    io: {
      stdin?: string | Buffer;
      maxBuffer: number;
      killGroup?: (pgid: number, asLoginUser: boolean) => Promise<void>;
    },
    /** The command on a channel of its own, for one the session lost before starting it. */
    onChannel: () => Promise<RawResult>,
  ): Promise<RawResult> {
    if (opts.signal?.aborted) throw new InterruptedError();
    const becomePassword = opts.become ? this.settings.becomePassword : undefined;
    const built = buildAgentCommand(
      cmd,
      { ...opts, becomePassword: becomePassword !== undefined },
      `${ex.dir}/askpass`,
    );
    this.deps.onEvent?.({ type: 'command', host: this.host, line: built.line });
    const own = opts.stdin === undefined ? undefined : Buffer.from(opts.stdin);
    const stdin = built.stdinHead && own ? Buffer.concat([built.stdinHead, own]) : (built.stdinHead ?? own);
    try {
      const r = await ex.run({
        line: built.line,
        simple: built.simple,
        stdin,
        becomePassword,
        timeout: opts.timeout,
        signal: opts.signal,
        maxBuffer: io.maxBuffer,
        onStdout: opts.onStdout,
        onStderr: opts.onStderr,
        kill: (pgid) => io.killGroup?.(pgid, false) ?? Promise.resolve(),
      });
      if (r.becomeRefused) {
        const stderr = Buffer.concat([r.stderr, Buffer.from('herdbook: sudo refused the become password\n')]);
        return { ...r, rc: 1, stderr, started: true };
      }
      return { ...r, started: true };
    } catch (e) {
      if (!(e instanceof ExecutorLostError)) throw e;
      // The channel of a dying connection may close before the connection says so: give it a moment.
      const gone = s.isDropped() || (await Promise.race([s.dropped.then(() => true), sleep(200).then(() => false)]));
      if (gone)
        throw new DroppedError(
          this.host,
          e.started
            ? `connection to ${this.host} dropped while running ${built.summary}; it may or may not have completed, and was not re-run`
            : `connection to ${this.host} dropped before running ${built.summary}`,
          e.started,
        );
      if (!e.started) return onChannel();
      const why = `herdbook: ${e.message} while running the command; it may or may not have completed, and was not re-run\n`;
      return {
        rc: 255,
        stdout: Buffer.alloc(0),
        stderr: Buffer.from(why),
        truncated: false,
        timedOut: false,
        started: true,
      };
    }
  }

  async exec(cmd: CommandSpec, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.run(cmd, opts, opts.maxBuffer ?? DEFAULT_MAX_BUFFER);
    const result: ExecResult = { rc: r.rc, stdout: r.stdout.toString('utf8'), stderr: r.stderr.toString('utf8') };
    if (r.signal) result.signal = r.signal;
    if (r.timedOut) result.timedOut = true;
    if (r.truncated) result.truncated = true;
    return result;
  }

  private readonly execRaw: Exec = (cmd, opts) =>
    this.run(cmd, { stdin: opts.stdin, become: opts.become, becomeUser: opts.becomeUser }, Number.POSITIVE_INFINITY);

  async put(data: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
    const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    // Through the executor: one request instead of an SFTP session (a process on the host) and its round trips.
    if (this.executor && buf.length <= EXECUTOR_STDIN_MAX) return execPut(this.host, this.execRaw, buf, dest, opts);
    await put(await this.session(), this.execRaw, buf, dest, opts);
  }

  async get(src: string, opts: GetOptions = {}): Promise<Buffer> {
    if (this.executor) return getByCat(this.host, this.execRaw, src, opts);
    return get(await this.session(), this.execRaw, src, opts);
  }

  /** A long-lived process on a channel of its own (a container's executor agent through `pct exec`). */
  async spawn(argv: readonly string[]): Promise<AgentProcess> {
    return openProcess(await this.session(), shellJoin(argv));
  }

  /** A direct-tcpip channel over this connection: host:port as the server sees it. */
  async forward(host: string, port: number): Promise<Duplex> {
    const s = await this.session();
    return new Promise((resolve, reject) => {
      s.client.forwardOut('127.0.0.1', 0, host, port, (err, stream) =>
        err
          ? reject(
              new HerdbookError('E_TUNNEL', `${this.host}: cannot forward to ${host}:${port}: ${err.message}`, {
                cause: err,
              }),
            )
          : resolve(stream),
      );
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    try {
      (await current).close();
    } catch {
      // It never opened: nothing to close.
    }
  }
}

export function createSshConnection(settings: ConnectionSettings, deps: SshDeps = {}): Connection {
  return new SshConnection(settings, deps);
}
