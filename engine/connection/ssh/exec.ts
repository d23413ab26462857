// Runs one command line on an exec channel: stdin in, stdout/stderr streamed to callbacks and
// kept up to maxBuffer, timeout and abort by signal + close, exit code or signal out.
import type { ClientChannel } from 'ssh2';
import { InterruptedError } from '../../errors.js';
import type { BuiltCommand } from './command.js';
import type { RawResult } from './types.js';
import { openExec, DroppedError, type ChannelExit, type Session } from './session.js';
import { pidFilter, sendSignal, signalRc, Sink } from './streams.js';
import { createSudoFilter, type SudoFilter } from '../sudo-filter.js';
import { setLongTimeout } from '../../timers.js';

export type ChannelIo = {
  stdin?: string | Buffer;
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Bytes kept per stream; Infinity keeps everything (file reads). */
  maxBuffer: number;
  timeout?: number;
  signal?: AbortSignal;
  becomePassword?: string;
  /** Kills the command's process group from another channel (timeouts, aborts). */
  killGroup?: (pgid: number, asLoginUser: boolean) => Promise<void>;
};

/** The status of a command killed by SIGKILL (timeout or abort), as the local connection reports it. */
export const KILLED_RC = 128 + 9;

/** After a kill, how long to wait for the server to close the channel before giving up on it. */
const CLOSE_GRACE_MS = 5000;

export async function runChannel(s: Session, cmd: BuiltCommand, io: ChannelIo): Promise<RawResult> {
  if (io.signal?.aborted) throw new InterruptedError();
  let ch: ClientChannel;
  let exited: () => ChannelExit | undefined;
  try {
    ({ ch, exit: exited } = await openExec(s, cmd.line));
  } catch (e) {
    if (s.isDropped() || e instanceof DroppedError) {
      throw new DroppedError(s.host, `connection to ${s.host} dropped before running ${cmd.summary}`, false);
    }
    throw e;
  }
  return new Promise<RawResult>((resolve, reject) => {
    const out = new Sink(io.maxBuffer, io.onStdout);
    const err = new Sink(io.maxBuffer, io.onStderr);
    let rc: number | undefined;
    let sig: string | undefined;
    let timedOut = false;
    let aborted = false;
    let settled = false;
    const writeStdin = () => (io.stdin !== undefined && io.stdin.length > 0 ? ch.end(io.stdin) : ch.end());
    const droppedWhileRunning = () =>
      new DroppedError(
        s.host,
        `connection to ${s.host} dropped while running ${cmd.summary}; it may or may not have completed, and was not re-run`,
        true,
      );
    const pids = pidFilter(cmd.pidMarker);
    let graceTimer: NodeJS.Timeout | undefined;
    const kill = (asLoginUser = false) => {
      // A signal request works for non-root logins; for root ones kill the process group from a
      // second channel. sshd closes the channel only once the command is gone.
      try {
        sendSignal(ch, 'KILL');
      } catch {
        // Channel already gone.
      }
      const pgid = pids.pid();
      const killed = pgid && io.killGroup ? io.killGroup(pgid, asLoginUser).catch(() => undefined) : Promise.resolve();
      void killed.then(() => ch.close());
      graceTimer = setTimeout(() => ch.emit('close'), CLOSE_GRACE_MS);
    };
    let filter: SudoFilter | undefined;
    if (cmd.sudo && io.becomePassword !== undefined) {
      filter = createSudoFilter(cmd.sudo, {
        writePassword: () => ch.write(`${io.becomePassword}\n`),
        started: writeStdin,
        // sudo is still waiting for a password: it runs with our real uid, so no become is needed (or possible).
        refuse: () => kill(true),
      });
    } else writeStdin();

    const timer = io.timeout ? setLongTimeout(() => ((timedOut = true), kill()), io.timeout) : undefined;
    const onAbort = () => ((aborted = true), kill());
    io.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      timer?.clear();
      clearTimeout(graceTimer);
      io.signal?.removeEventListener('abort', onAbort);
      fn();
    };

    ch.on('data', (c: Buffer) => out.push(filter ? filter.stdout(c) : c));
    const toErr = (c: Buffer) => err.push(filter ? filter.stderr(c) : c);
    ch.stderr.on('data', (c: Buffer) => toErr(pids.push(c)));
    const readExit = () => {
      const e = exited();
      if (!e || rc !== undefined) return;
      if (e.code !== null && e.code !== undefined) rc = e.code;
      else if (e.signal) {
        // ssh2 names it SIGTERM already; be lenient with a bare TERM.
        sig = e.signal.startsWith('SIG') ? e.signal : `SIG${e.signal}`;
        rc = signalRc(sig);
      }
    };
    let closed = false;
    const settle = () =>
      finish(() => {
        readExit();
        const truncated = out.truncated || err.truncated;
        if (filter?.refused()) {
          err.push(Buffer.from('herdbook: sudo refused the become password\n'));
          return resolve({
            rc: 1,
            stdout: out.buffer(),
            stderr: err.buffer(),
            truncated,
            timedOut: false,
            started: pids.started(),
          });
        }
        if (timedOut || aborted) {
          return resolve({
            rc: KILLED_RC,
            signal: 'SIGKILL',
            stdout: out.buffer(),
            stderr: err.buffer(),
            truncated,
            timedOut,
            started: pids.started(),
          });
        }
        if (rc === undefined && s.isDropped()) return reject(droppedWhileRunning());
        if (rc === undefined) {
          // The server closed the channel without an exit status while the connection lives on.
          err.push(Buffer.from('herdbook: the server closed the channel without an exit status\n'));
          return resolve({
            rc: 255,
            stdout: out.buffer(),
            stderr: err.buffer(),
            truncated,
            timedOut: false,
            started: pids.started(),
          });
        }
        resolve({
          rc,
          signal: sig,
          stdout: out.buffer(),
          stderr: err.buffer(),
          truncated,
          timedOut: false,
          started: pids.started(),
        });
      });
    ch.on('close', () => {
      if (closed) return;
      closed = true;
      s.gate.release();
      toErr(pids.flush());
      readExit();
      // A channel closed by a dying connection may report before the connection does: give it a moment.
      if (rc === undefined && !timedOut && !aborted && !filter?.refused()) setTimeout(settle, 100);
      else settle();
    });
    // dropped only ever resolves: there is no rejection to handle.
    void s.dropped.then(() => finish(() => reject(droppedWhileRunning())));
  });
}
