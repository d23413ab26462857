// One ssh Connection per inventory host and settings for the whole run, shared by every task
// that resolves to them; hosts connect in parallel, each lazily on its first command; hosts
// behind the same bastion share its connection.
import type { Connection, ConnectionSettings } from '../types.js';
import { BastionPool } from './bastions.js';
import { SshConnection } from './connection.js';
import { settingsKey } from '../settings-key.js';
import type { SshDeps } from './types.js';

export type SshPool = {
  /** The connection for these settings (created on first request). */
  connection(settings: ConnectionSettings): Connection;
  closeAll(): Promise<void>;
};

export function createSshPool(deps: SshDeps = {}): SshPool {
  const connections = new Map<string, SshConnection>();
  const bastions = new BastionPool();
  return {
    connection(settings) {
      const key = settingsKey(settings);
      let c = connections.get(key);
      if (!c) {
        c = new SshConnection(settings, deps, bastions);
        connections.set(key, c);
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
