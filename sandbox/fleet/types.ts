// The fleet's public shapes: what startFleet takes and what it hands back.
import type { ConnectionSettings } from '../../engine/connection/types.js';
import type { BecomeUsers } from './users.js';

export type FleetNodeOptions = {
  name: string;
  /** `Subsystem sftp internal-sftp` (default: the fleet's `sftp`, true). */
  sftp?: boolean;
  maxSessions?: number;
  /** Password logins for the become users (default true; root logs in by key only). */
  passwordAuthentication?: boolean;
};

export type FleetOptions = {
  stateDir: string;
  /** Named nodes, or a count: `node-1` ... `node-N`. */
  nodes: FleetNodeOptions[] | number;
  /** sshd's MaxSessions for every node without its own (default 10, OpenSSH's default). */
  maxSessions?: number;
  sftp?: boolean;
  /** Passphrase for the second, encrypted client key (default: a fixed test passphrase). */
  keyPassphrase?: string;
  /** apt-get install openssh-server/sudo when missing (default true). */
  install?: boolean;
};

export type FleetNode = {
  name: string;
  address: '127.0.0.1';
  port: number;
  /** `nodeRoot(stateDir, name)`: the node's /usr/local/bin, /etc/rancher ... live below it. */
  root: string;
  pid: number;
  hostKeyFingerprint: string;
  hostKeyPath: string;
  /** Inventory host vars (the ansible_* spellings herdbook accepts). */
  vars: Record<string, string | number>;
  /** The same, already resolved for `createSshConnection` (strict host key checking). */
  settings: ConnectionSettings;
};

export type Fleet = {
  stateDir: string;
  nodes: FleetNode[];
  /** Unencrypted ed25519 key authorized for root and the become users on every node. */
  clientKeyPath: string;
  /** A passphrase-protected ed25519 key, also authorized. */
  passphraseKey: { path: string; passphrase: string };
  /** Every node's host key as `[127.0.0.1]:port ssh-ed25519 ...`; the hashed file has `|1|salt|hash` names. */
  knownHostsPath: string;
  hashedKnownHostsPath: string;
  users: BecomeUsers;
  node(name: string): FleetNode;
  /** A new host key for `name` (sshd re-reads it per connection); known_hosts files keep the old one. */
  regenerateHostKey(name: string): Promise<string>;
  /** Processes serving `name`'s open connections (below its listening sshd): kill them to drop a connection. */
  sessionPids(name: string): Promise<number[]>;
  stop(): Promise<void>;
};
