// The persistent executor over ssh: the agent runs in one exec channel of the host's connection
// (a long-lived `sh -s`), one per live connection. Where it cannot start (no /bin/sh, a forced
// command, a restricted shell, missing tools), the connection runs every command on a channel of
// its own, as before, and says so once (-vvv).
import { EXECUTOR_START_TIMEOUT_MS } from '../executor/enabled.js';
import { AGENT_LAUNCH } from '../executor/agent.js';
import { ExecutorSession, type AgentProcess } from '../executor/session.js';
import { openExec, type Session } from './session.js';

/** `line` run by the login shell on a channel of its own, held open: the agent's process. */
export async function openProcess(s: Session, line: string): Promise<AgentProcess> {
  const { ch } = await openExec(s, line);
  const ended = new Promise<void>((resolve) =>
    ch.once('close', () => {
      s.gate.release();
      resolve();
    }),
  );
  ch.on('error', () => undefined);
  return {
    write: (text) => void ch.write(text),
    stdout: ch,
    stderr: ch.stderr,
    ended,
    end: () => {
      ch.end();
      ch.close();
    },
  };
}

export type ExecutorNotice = { mode: 'session' | 'exec'; why?: string };

/** The executor of one host's connection: started per live ssh session, or off for good. */
export class SshExecutor {
  private readonly sessions = new WeakMap<Session, Promise<ExecutorSession | undefined>>();
  /** Set when the host cannot run the agent: every command goes per channel from then on. */
  private off?: string;
  private failures = 0;

  constructor(private readonly notify: (n: ExecutorNotice) => void) {}

  /** An idle session for this connection, or undefined: then run the command on its own channel. */
  async idle(s: Session): Promise<ExecutorSession | undefined> {
    if (this.off) return undefined;
    let p = this.sessions.get(s);
    const current = p ? await p : undefined;
    if (current && !current.broken) return current.busy ? undefined : current;
    if (p && !current) return undefined;
    if (current?.broken) {
      // A session that broke (a command outlived its kill, the shell died) is replaced; one that
      // keeps breaking is given up.
      if (++this.failures >= 3) {
        this.off = `the executor session broke ${this.failures} times (${current.broken})`;
        this.notify({ mode: 'exec', why: this.off });
        return undefined;
      }
    }
    p = this.start(s);
    this.sessions.set(s, p);
    const started = await p;
    return started && !started.busy ? started : undefined;
  }

  private async start(s: Session): Promise<ExecutorSession | undefined> {
    let r: ExecutorSession | string;
    try {
      r = await ExecutorSession.start(await openProcess(s, AGENT_LAUNCH), EXECUTOR_START_TIMEOUT_MS);
    } catch (e) {
      r = `cannot open the executor's channel: ${(e as Error).message}`;
    }
    if (typeof r === 'string') {
      // The connection itself went away: not the host's shell's fault, try again next time.
      if (s.isDropped()) return undefined;
      this.off = r;
      this.notify({ mode: 'exec', why: r });
      return undefined;
    }
    this.notify({ mode: 'session' });
    return r;
  }

  /** The session of this connection, if one runs (to close it with the connection). */
  async current(s: Session): Promise<ExecutorSession | undefined> {
    return this.sessions.get(s);
  }
}
