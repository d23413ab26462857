// The `ssh` connection (ssh2): public entry point.
export { createSshConnection, SshConnection } from './connection.js';
export { createSshPool } from './pool.js';
export type { SshPool } from './pool.js';
export { resolveSshSettings, parseJumpSpec } from './settings.js';
export { buildCommand } from './command.js';
export type { BuiltCommand, CommandOptions } from './command.js';
export { fingerprint, hashHost, hostToken, knownHostsLine, parseKnownHosts, verifyHostKey } from './known-hosts.js';
export type { KnownHostEntry, HostKeyVerdict } from './known-hosts.js';
export { KILLED_RC } from './exec.js';
export type { Hop, HostKeyPolicy, ResolvedSsh, SshDeps, SshEvent } from './types.js';
