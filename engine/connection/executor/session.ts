// One persistent executor session: the agent (agent.ts) running in a long-lived shell on the
// host, fed requests on its stdin, answering in frames (frames.ts). One command at a time; the
// connection sends a command that arrives while this one is busy over its ordinary path.
// A timeout or an abort kills the command's process group (through the connection's kill, as
// the user the command runs as); the session goes on with the next command. If the session
// itself ends or stops making sense, the command in flight is reported (never sent again) and
// the session is dropped; the connection starts a new one for the next command.
import { randomBytes } from 'node:crypto';
import type { AgentProcess } from '../types.js';
import { setLongTimeout } from '../../timers.js';
import { agentRequest, agentScript } from './agent.js';
import { FrameReader, type AgentFrame } from './frames.js';

/** The agent's process (an ssh channel, a local child, `pct exec`): text in, bytes out. */
export type { AgentProcess };

export type ExecutorRun = {
  line: string;
  /** One simple command of quoted words (see agentRequest). */
  simple?: boolean;
  stdin?: Buffer;
  becomePassword?: string;
  timeout?: number;
  signal?: AbortSignal;
  maxBuffer: number;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Kills the command's process group (its pid), from outside the session. */
  kill(pgid: number): Promise<void>;
};

export type ExecutorResult = {
  rc: number;
  signal?: string;
  stdout: Buffer;
  stderr: Buffer;
  truncated: boolean;
  timedOut: boolean;
  /** sudo asked for the password a second time: it was refused. */
  becomeRefused: boolean;
};

/** The session ended while a command ran; `started`: the agent had started it. */
export class ExecutorLostError extends Error {
  constructor(
    message: string,
    readonly started: boolean,
  ) {
    super(message);
  }
}

/** SIGKILL's status, as the other paths report a killed command. */
const KILLED_RC = 128 + 9;
/** After a kill, how long the command may take to end before the session is given up. */
const KILL_GRACE_MS = 5000;

type Pending = {
  id: number;
  started(pid: number): void;
  done(f: Extract<AgentFrame, { kind: 'done' }>): void;
  lost(why: string): void;
};

export class ExecutorSession {
  private nextId = 1;
  private pending?: Pending;
  private lastStderr = '';
  /** Set once the session cannot be used again (why). */
  broken?: string;

  private constructor(
    private readonly proc: AgentProcess,
    readonly dir: string,
    reader: FrameReader,
  ) {
    reader.onFrame = (f) => this.frame(f);
  }

  get busy(): boolean {
    return this.pending !== undefined;
  }

  get usable(): boolean {
    return !this.broken && !this.pending;
  }

  /** Starts the agent on `proc`; a string says why it cannot run there (the caller execs per command). */
  static start(proc: AgentProcess, timeoutMs: number): Promise<ExecutorSession | string> {
    const nonce = randomBytes(12).toString('hex');
    return new Promise<ExecutorSession | string>((resolve) => {
      let settled = false;
      let err = '';
      const give = (v: ExecutorSession | string) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (typeof v === 'string') proc.end();
        resolve(v);
      };
      const reader = new FrameReader(nonce, (f) => {
        if (f.kind === 'ready') give(new ExecutorSession(proc, f.dir, reader));
        else if (f.kind === 'refused') give(`the host's shell lacks what the executor needs (${f.why})`);
      });
      const onErr = (c: Buffer) => (err = (err + c.toString('utf8')).slice(-500));
      proc.stderr.on('data', onErr);
      proc.stdout.on('data', (c: Buffer) => {
        try {
          reader.push(c);
        } catch (e) {
          if (!settled) give(`the executor's shell answered unexpectedly: ${(e as Error).message}`);
          else reader.onFrame({ kind: 'refused', why: (e as Error).message });
        }
      });
      const timer = setTimeout(() => give(`no answer from the executor's shell within ${timeoutMs} ms`), timeoutMs);
      void proc.ended.then(() => {
        const said = err.trim().split('\n').slice(-1)[0];
        give(`the executor's shell ended at once${said ? ` (${said})` : ''}`);
      });
      proc.write(agentScript(nonce));
    }).then((v) => {
      if (typeof v !== 'string') v.watch();
      return v;
    });
  }

  /** After start: failures of the live session. */
  private watch(): void {
    this.proc.stderr.on('data', (c: Buffer) => (this.lastStderr = (this.lastStderr + c.toString('utf8')).slice(-500)));
    void this.proc.ended.then(() => this.fail(`the executor session ended${this.said()}`));
  }

  private said(): string {
    const line = this.lastStderr.trim().split('\n').slice(-1)[0];
    return line ? ` (${line})` : '';
  }

  private frame(f: AgentFrame): void {
    const p = this.pending;
    if (f.kind === 'refused') return this.fail(`the executor session broke: ${f.why}`);
    if (f.kind === 'ready') return this.fail('the executor session restarted unexpectedly');
    if (!p || f.id !== p.id) return this.fail(`the executor answered for command ${f.id}, not the one in flight`);
    if (f.kind === 'started') p.started(f.pid);
    else p.done(f);
  }

  /** Gives the session up; the command in flight learns why. */
  private fail(why: string): void {
    if (!this.broken) {
      this.broken = why;
      this.proc.end();
    }
    const p = this.pending;
    this.pending = undefined;
    p?.lost(why);
  }

  close(): void {
    this.fail('closed');
  }

  run(r: ExecutorRun): Promise<ExecutorResult> {
    if (!this.usable) return Promise.reject(new ExecutorLostError(this.broken ?? 'the executor is busy', false));
    const id = this.nextId++;
    return new Promise<ExecutorResult>((resolve, reject) => {
      let pid: number | undefined;
      let timedOut = false;
      let aborted = false;
      let killWanted = false;
      let grace: NodeJS.Timeout | undefined;
      const kill = () => {
        killWanted = true;
        if (pid !== undefined) void r.kill(pid).catch(() => undefined);
        // A command that outlives its kill takes the session with it, and is reported as killed.
        grace ??= setTimeout(() => this.fail('a killed command did not end'), KILL_GRACE_MS);
      };
      const timer = r.timeout ? setLongTimeout(() => ((timedOut = true), kill()), r.timeout) : undefined;
      const onAbort = () => ((aborted = true), kill());
      r.signal?.addEventListener('abort', onAbort, { once: true });
      const cleanup = () => {
        timer?.clear();
        clearTimeout(grace);
        r.signal?.removeEventListener('abort', onAbort);
      };
      const killed = (stdout: Buffer, stderr: Buffer): ExecutorResult => ({
        rc: KILLED_RC,
        signal: 'SIGKILL',
        stdout,
        stderr,
        truncated: false,
        timedOut,
        becomeRefused: false,
      });
      this.pending = {
        id,
        started: (p) => {
          pid = p;
          if (killWanted) void r.kill(p).catch(() => undefined);
        },
        done: (f) => {
          this.pending = undefined;
          cleanup();
          if (f.stdout.length) r.onStdout?.(f.stdout);
          if (f.stderr.length) r.onStderr?.(f.stderr);
          const out = f.stdout.subarray(0, r.maxBuffer);
          const err = f.stderr.subarray(0, r.maxBuffer);
          const truncated = out.length < f.stdout.length || err.length < f.stderr.length;
          if (timedOut || aborted) return resolve({ ...killed(out, err), truncated });
          resolve({ rc: f.rc, stdout: out, stderr: err, truncated, timedOut: false, becomeRefused: f.refused });
        },
        lost: (why) => {
          cleanup();
          if (timedOut || aborted) return resolve(killed(Buffer.alloc(0), Buffer.from(`herdbook: ${why}\n`)));
          reject(new ExecutorLostError(why, pid !== undefined));
        },
      };
      if (r.signal?.aborted) onAbort();
      this.proc.write(
        agentRequest({
          id,
          line: r.line,
          simple: r.simple,
          stdin: r.stdin,
          becomePassword: r.becomePassword,
        }),
      );
    });
  }
}
