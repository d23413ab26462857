// The `ssh` Connection: one persistent SSH connection per host, opened on first use, with every
// command on its own channel. A dropped connection is re-opened for the next command; the one it
// interrupted fails (or, when marked idempotent, runs once more).
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { HerdbookError } from '../../errors.js';
import type {
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
import { buildCommand, killTreeScript } from './command.js';
import { runChannel } from './exec.js';
import { openSession, DroppedError, type Session } from './session.js';
import { resolveSshSettings } from './settings.js';
import { get, put, type Exec } from './transfer.js';
import type { RawResult, ResolvedSsh, SshDeps } from './types.js';

const DEFAULT_MAX_BUFFER = 16 * 1024 * 1024;

export class SshConnection implements Connection {
  readonly host: string;
  readonly kind = 'ssh';
  private readonly settings: ConnectionSettings;
  private readonly deps: SshDeps;
  private resolved?: ResolvedSsh;
  private current?: Promise<Session>;
  private closed = false;

  private readonly bastions?: BastionPool;

  /** `bastions`: ProxyJump connections shared with other hosts (the pool passes its own). */
  constructor(settings: ConnectionSettings, deps: SshDeps = {}, bastions?: BastionPool) {
    this.host = settings.host;
    this.settings = settings;
    this.deps = deps;
    this.bastions = bastions;
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
      this.deps.onEvent?.({ type: 'command', host: this.host, line: built.line });
      let r: RawResult;
      try {
        r = await runChannel(s, built, io);
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
    await put(await this.session(), this.execRaw, buf, dest, opts);
  }

  async get(src: string, opts: GetOptions = {}): Promise<Buffer> {
    return get(await this.session(), this.execRaw, src, opts);
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
