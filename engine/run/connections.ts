// Connections pooled by the settings they resolve to, for the whole run, whatever their kind:
// local, ssh (one ssh2 connection per host and settings, channels multiplexed), or pct
// (through the Proxmox host's connection). A host reached locally in one play and over SSH in
// the next has one of each.
import type { SshEvent, SshPool } from '../connection/ssh/index.js';
import type { Connection, ConnectionSettings } from '../connection/types.js';
import { LocalConnection } from '../connection/local.js';
import { UnreachableError, errorMessage } from '../errors.js';
import { connectionSettings, type ConnectionDefaults } from '../inventory/connection-vars.js';
import { settingsKey } from '../connection/settings-key.js';

export type ConnectionPool = {
  /** The host as its inventory and -e say to reach it (Kubernetes, the Proxmox node of a pct host). */
  get(host: string, kindOverride?: string): Promise<Connection>;
  /** A connection with these settings (a task's, resolved from its keywords and variables). */
  open(settings: ConnectionSettings): Promise<Connection>;
  settings(host: string): ConnectionSettings;
  closeAll(): Promise<void>;
};

/** -vvv: how each host runs its commands (the persistent executor, or a channel each, and why). */
function executorLine(e: SshEvent): string | undefined {
  if (e.type !== 'executor') return undefined;
  return e.mode === 'session'
    ? `${e.host}: executor: one persistent shell session runs the commands`
    : `${e.host}: executor: not used (${e.why ?? 'unknown'}); one ssh channel per command`;
}

export function createConnectionPool(
  varsOf: (host: string) => (name: string) => unknown,
  defaults: ConnectionDefaults = {},
  /** Connection diagnostics for -vvv; none when undefined. */
  debug?: (line: string) => void,
): ConnectionPool {
  const open = new Map<string, Promise<Connection>>();
  let sshPool: Promise<SshPool> | undefined;
  const settings = (host: string, kindOverride?: string): ConnectionSettings => {
    try {
      // become is per command (the task's), not a connection setting.
      const { become: _b, becomeUser: _u, ...s } = connectionSettings(host, varsOf(host), {}, defaults);
      return kindOverride ? { ...s, kind: kindOverride as ConnectionSettings['kind'] } : s;
    } catch (e) {
      throw new UnreachableError(host, 'config', errorMessage(e));
    }
  };
  const connect = async (s: ConnectionSettings): Promise<Connection> => {
    const host = s.host;
    if (s.kind === 'local') return new LocalConnection(host, { becomePassword: s.becomePassword });
    if (s.kind === 'ssh') {
      const onEvent = debug
        ? (e: SshEvent) => {
            const line = executorLine(e);
            if (line) debug(line);
          }
        : undefined;
      sshPool ??= import('../connection/ssh/index.js').then((m) => m.createSshPool(onEvent ? { onEvent } : {}));
      return (await sshPool).connection(s);
    }
    const { createPctConnection } = await import('../connection/pct.js');
    if (!s.pctHost)
      throw new UnreachableError(
        host,
        'config',
        `host ${host}: connection pct needs pct_host (the Proxmox node, an inventory host or an address)`,
      );
    if (s.pctVmid === undefined)
      throw new UnreachableError(
        host,
        'config',
        `host ${host}: connection pct needs pct_vmid (or pct_id / proxmox_vmid)`,
      );
    // Proxmox VMIDs are integers from 100 (pve-common's pve-vmid format).
    if (!Number.isInteger(s.pctVmid) || s.pctVmid < 100 || s.pctVmid > 999_999_999) {
      const got = Number.isNaN(s.pctVmid) ? 'not a number' : `got ${s.pctVmid}`;
      throw new UnreachableError(
        host,
        'config',
        `host ${host}: pct_vmid must be a Proxmox VMID (an integer from 100 to 999999999), ${got}`,
      );
    }
    // The Proxmox node is reached by ssh or locally; a pct_host that is itself a container would wait on itself.
    if (s.pctHost === host || settings(s.pctHost).kind === 'pct') {
      throw new UnreachableError(
        host,
        'config',
        `host ${host}: pct_host ${s.pctHost} must be the Proxmox node (reached by ssh or local), not a pct container`,
      );
    }
    // pct needs root on the Proxmox node: sudo when that connection logs in as someone else.
    const proxmoxUser = settings(s.pctHost).user;
    return createPctConnection(
      { ...s, pctSudo: s.pctSudo ?? (proxmoxUser !== undefined && proxmoxUser !== 'root') },
      await pool.get(s.pctHost),
      debug
        ? (n) =>
            debug(
              n.mode === 'session'
                ? `${host}: executor: one persistent shell session in container ${s.pctVmid} runs the commands`
                : `${host}: executor: not used (${n.why ?? 'unknown'}); one pct exec per command`,
            )
        : undefined,
    );
  };
  const pooled = (key: string, make: () => Promise<Connection>): Promise<Connection> => {
    let c = open.get(key);
    if (!c) {
      c = make();
      open.set(key, c);
    }
    return c;
  };
  const pool: ConnectionPool = {
    settings: (host) => settings(host),
    async get(host, kindOverride) {
      const s = settings(host, kindOverride);
      return pooled(settingsKey(s), () => connect(s));
    },
    open: (s) => pooled(settingsKey(s), () => connect(s)),
    async closeAll() {
      const all = await Promise.allSettled(open.values());
      open.clear();
      await Promise.all(all.flatMap((r) => (r.status === 'fulfilled' ? [r.value.close().catch(() => undefined)] : [])));
      // A pool that never loaded has nothing to close (its error was each host's result already).
      if (sshPool) await sshPool.then((p) => p.closeAll()).catch(() => undefined);
    },
  };
  return pool;
}
