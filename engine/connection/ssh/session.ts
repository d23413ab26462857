// One live SSH connection to a host: the client, its bastions, its channel gate, and a
// `dropped` promise that settles when the server side goes away without us closing it.
import type { Client, ClientChannel, SFTPWrapper } from 'ssh2';
import { UnreachableError } from '../../errors.js';
import type { BastionPool } from './bastions.js';
import { ChannelGate } from './channels.js';
import { dial } from './dial.js';
import type { ResolvedSsh, SshDeps } from './types.js';

export type Session = {
  host: string;
  client: Client;
  gate: ChannelGate;
  /** Resolves when the connection is lost (not when we close it). */
  dropped: Promise<void>;
  isDropped(): boolean;
  /** False once the server refused the sftp subsystem: use exec channels for files. */
  sftpAvailable: boolean;
  close(): void;
};

/** A channel-level failure caused by the connection going away; `started` says whether the command began. */
export class DroppedError extends UnreachableError {
  readonly started: boolean;
  constructor(host: string, message: string, started: boolean) {
    super(host, 'dropped', message);
    this.started = started;
  }
}

export async function openSession(r: ResolvedSsh, deps: SshDeps, bastions?: BastionPool): Promise<Session> {
  const { client, release } = await dial(r, deps, bastions);
  let closing = false;
  let lost = false;
  let markDropped!: () => void;
  const dropped = new Promise<void>((resolve) => (markDropped = resolve));
  const gate = new ChannelGate({
    onRefused: (open) => deps.onEvent?.({ type: 'channel-refused', host: r.host, open }),
  });
  const onGone = () => {
    release();
    if (closing || lost) return;
    lost = true;
    deps.onEvent?.({ type: 'dropped', host: r.host });
    markDropped();
    gate.wakeAll();
  };
  // Errors after the handshake are followed by 'close'; the listener keeps them from crashing the process.
  client.on('error', () => undefined);
  client.on('close', onGone);
  client.on('end', onGone);
  deps.onEvent?.({ type: 'connected', host: r.host });
  return {
    host: r.host,
    client,
    gate,
    dropped,
    isDropped: () => lost,
    sftpAvailable: true,
    close() {
      closing = true;
      client.end();
      release();
    },
  };
}

/** The exit-status (or exit-signal) request of an exec channel, once the server sent it. */
export type ChannelExit = { code: number | null | undefined; signal?: string };

/** An exec channel with its exit recorded from the moment it opened. */
export type ExecChannel = { ch: ClientChannel; exit: () => ChannelExit | undefined };

export function openExec(s: Session, line: string): Promise<ExecChannel> {
  return s.gate.acquire(
    () =>
      new Promise<ExecChannel>((resolve, reject) => {
        if (s.isDropped()) return reject(new DroppedError(s.host, `connection to ${s.host} is closed`, false));
        s.client.exec(line, (err, ch) => {
          if (err) return reject(err);
          // A fast command's exit-status can arrive in the same read as the exec reply: ssh2 emits
          // it before our caller's continuation runs, so it is caught here, synchronously.
          let exit: ChannelExit | undefined;
          ch.once('exit', (code: number | null | undefined, signal?: string) => (exit = { code, signal }));
          resolve({ ch, exit: () => exit });
        });
      }),
  );
}

/** An sftp session, or undefined when the server has no sftp subsystem. */
export async function openSftp(s: Session): Promise<SFTPWrapper | undefined> {
  if (!s.sftpAvailable) return undefined;
  try {
    return await s.gate.acquire(
      () =>
        new Promise<SFTPWrapper>((resolve, reject) =>
          s.client.sftp((err, sftp) => (err ? reject(err) : resolve(sftp))),
        ),
    );
  } catch (e) {
    if (s.isDropped()) throw new DroppedError(s.host, `connection to ${s.host} dropped while opening sftp`, false);
    // "Unable to start subsystem: sftp": the server runs without it (Subsystem sftp not configured).
    if (/subsystem/i.test((e as Error).message)) {
      s.sftpAvailable = false;
      return undefined;
    }
    throw e;
  }
}
