// One ssh Connection per inventory host for the whole run, shared by every task; hosts connect
// in parallel, each lazily on its first command; hosts behind the same bastion share its connection.
import type { Connection, ConnectionSettings } from '../types.js';
import { BastionPool } from './bastions.js';
import { SshConnection } from './connection.js';
import type { SshDeps } from './types.js';

export type SshPool = {
  /** The host's connection (created on first request; settings of later requests are ignored). */
  connection(settings: ConnectionSettings): Connection;
  closeAll(): Promise<void>;
};

export function createSshPool(deps: SshDeps = {}): SshPool {
  const connections = new Map<string, SshConnection>();
  const bastions = new BastionPool();
  return {
    connection(settings) {
      let c = connections.get(settings.host);
      if (!c) {
        c = new SshConnection(settings, deps, bastions);
        connections.set(settings.host, c);
      }
      return c;
    },
    async closeAll() {
      const all = [...connections.values()];
      connections.clear();
      await Promise.all(all.map((c) => c.close()));
    },
  };
}
