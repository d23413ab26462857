// The transport a module uses to act on a host. `local`, `ssh` and `pct` implement it;
// modules never know which one they talk to.
import type { Duplex, Readable } from 'node:stream';

/** argv (each word passed literally) or a shell script run by `/bin/sh -c`. */
export type CommandSpec = readonly string[] | string;

export type ExecOptions = {
  stdin?: string | Buffer;
  env?: Record<string, string>;
  cwd?: string;
  /** Run through sudo (`-n`, or with the become password piped on stdin). */
  become?: boolean;
  becomeUser?: string;
  /** Milliseconds; the command is killed and the result has `timedOut: true`. */
  timeout?: number;
  /** Streamed output; when given, stdout/stderr in the result may be truncated to `maxBuffer`. */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Bytes of stdout/stderr kept in the result (default 16 MiB each); the rest is streamed only. */
  maxBuffer?: number;
  signal?: AbortSignal;
  /** The command may be run again if the connection drops mid-command (read-only probes). */
  idempotent?: boolean;
};

export type ExecResult = {
  rc: number;
  stdout: string;
  stderr: string;
  /** Set when the command was killed by a signal or by its timeout. */
  signal?: string;
  timedOut?: boolean;
  /** stdout or stderr exceeded maxBuffer and was cut (still fully streamed). */
  truncated?: boolean;
};

export type PutOptions = {
  /** Octal string ('0644') or number. */
  mode?: string | number;
  owner?: string;
  group?: string;
  become?: boolean;
  becomeUser?: string;
};

export type GetOptions = { become?: boolean; becomeUser?: string };

/** A long-lived process on the host (an ssh channel, a local child): text in, bytes out. */
export type AgentProcess = {
  write(text: string): void;
  stdout: Readable;
  stderr: Readable;
  /** Settles when the process or channel is gone, for whatever reason. */
  ended: Promise<void>;
  /** Ends it from our side (stdin EOF and close). */
  end(): void;
};

export interface Connection {
  /** The inventory hostname this connection serves. */
  readonly host: string;
  /** 'local' | 'ssh' | 'pct' */
  readonly kind: string;
  /** For a Proxmox container (`pct`): its Proxmox host and id, so a module can say where the kernel's work belongs. */
  readonly container?: { proxmoxHost: string; vmid: number };
  exec(cmd: CommandSpec, opts?: ExecOptions): Promise<ExecResult>;
  /** Write a file atomically (temp file + rename), then set mode and owner. */
  put(data: Buffer | string, dest: string, opts?: PutOptions): Promise<void>;
  get(src: string, opts?: GetOptions): Promise<Buffer>;
  close(): Promise<void>;
  /** A TCP stream to host:port as the remote end sees it (SSH direct-tcpip), for API tunnels. */
  forward?(host: string, port: number): Promise<Duplex>;
  /**
   * Starts `argv` as a long-lived process fed on its stdin: the persistent executor's agent of a
   * host reached through this one (`pct exec <vmid> -- /bin/sh -s` on a Proxmox node).
   */
  spawn?(argv: readonly string[]): Promise<AgentProcess>;
}

/** Everything a connection needs, resolved from inventory vars (ours and the ansible_* aliases). */
export type ConnectionSettings = {
  kind: 'local' | 'ssh' | 'pct';
  host: string;
  address?: string;
  port?: number;
  user?: string;
  password?: string;
  privateKeyFile?: string;
  privateKeyPassphrase?: string;
  becomePassword?: string;
  hostKeyChecking?: 'strict' | 'accept-new' | 'off';
  knownHostsFile?: string;
  proxyJump?: string;
  connectTimeout?: number;
  /** Milliseconds between keepalives (ssh's ServerAliveInterval), and how many may go unanswered. */
  keepaliveInterval?: number;
  keepaliveCountMax?: number;
  /** For `pct`: the inventory host or address of the Proxmox node, and the container id. */
  pctHost?: string;
  pctVmid?: number;
  /** Run `pct` through sudo (the Proxmox connection's user is not root). */
  pctSudo?: boolean;
  /** The persistent executor (one long-lived shell per host); undefined: the default. */
  executor?: boolean;
};
