// Shapes shared by the ssh connection's files: resolved settings, injected dependencies, events.
import type { UnreachableReason } from '../../errors.js';

/** One SSH server on the way: a ProxyJump bastion or the target itself. */
export type Hop = {
  /** The name as written (inventory host, ProxyJump entry), for messages. */
  name: string;
  address: string;
  port: number;
  user: string;
  /** Private key files to try, in order. */
  identityFiles: string[];
  /** True when the files were named by the user: a missing one is an error, not skipped. */
  explicitIdentity: boolean;
  passphrase?: string;
  password?: string;
  /** ssh-agent socket, unless IdentitiesOnly. */
  agent?: string;
};

export type HostKeyPolicy = 'strict' | 'accept-new' | 'off';

export type ResolvedSsh = {
  host: string;
  target: Hop;
  /** Bastions in order, the first reached directly. */
  jumps: Hop[];
  hostKeyChecking: HostKeyPolicy;
  /** Read in order; `accept-new` appends to the first. */
  knownHostsFiles: string[];
  /** Milliseconds for TCP connect and then for the SSH handshake and authentication. */
  connectTimeout: number;
  keepaliveInterval?: number;
  keepaliveCountMax?: number;
  becomePassword?: string;
};

export type SshEvent =
  | { type: 'connect'; host: string; hop: string; attempt: number }
  | { type: 'connect-retry'; host: string; reason: UnreachableReason; attempt: number; delayMs: number }
  | { type: 'connected'; host: string }
  | { type: 'dropped'; host: string }
  | { type: 'channel-refused'; host: string; open: number }
  | { type: 'host-key-added'; host: string; file: string; fingerprint: string }
  /** Which way this connection runs commands: the persistent executor, or a channel per command (and why). */
  | { type: 'executor'; host: string; mode: 'session' | 'exec'; why?: string }
  /** The exact command line sent to the server (never contains the become password). */
  | { type: 'command'; host: string; line: string };

/** Everything from the outside world the ssh connection reads, injectable for tests. */
export type SshDeps = {
  /** HOME, USER, SSH_AUTH_SOCK, HERDBOOK_SSH_CONFIG, HERDBOOK_SSH_PASSPHRASE (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** ~/.ssh/config path; null reads none (default $HERDBOOK_SSH_CONFIG or ~/.ssh/config). */
  sshConfigPath?: string | null;
  /** Connection attempts for refused/timeout failures (default 3). */
  connectAttempts?: number;
  /** First retry delay, doubled each time (default 250 ms). */
  retryDelayMs?: number;
  keepaliveIntervalMs?: number;
  keepaliveCountMax?: number;
  onEvent?: (e: SshEvent) => void;
};

export const DEFAULT_CONNECT_TIMEOUT = 10_000;

/** A command's result on one channel, before the connection turns it into an ExecResult. */
export type RawResult = {
  rc: number;
  signal?: string;
  stdout: Buffer;
  stderr: Buffer;
  truncated: boolean;
  timedOut: boolean;
  /** The login shell printed our pid line: it ran the command line (false: the login itself failed). */
  started: boolean;
};
