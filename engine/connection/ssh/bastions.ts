// Bastion connections shared by every host behind them: twenty nodes behind one ProxyJump make
// one bastion login, not twenty (sshd's MaxStartups would drop some of twenty at once).
import { createHash } from 'node:crypto';
import type { Client } from 'ssh2';
import type { Hop, ResolvedSsh } from './types.js';

type Entry = { client: Promise<Client>; refs: number };

export type BastionLease = { client: Client; release(): void };

const digest = (secret: string | undefined) =>
  secret === undefined ? '' : createHash('sha256').update(secret).digest('hex').slice(0, 16);

/**
 * What makes a pooled bastion connection reusable: its hop chain, and everything that decided
 * whether that connection was trusted and how it logged in. A bastion opened for a host with
 * host_key_checking off must not carry a host that checks strictly.
 */
export function bastionKey(r: Pick<ResolvedSsh, 'hostKeyChecking' | 'knownHostsFiles'>, chain: readonly Hop[]): string {
  return JSON.stringify({
    hostKeyChecking: r.hostKeyChecking,
    knownHostsFiles: r.knownHostsFiles,
    hops: chain.map((h) => [
      h.user,
      h.address,
      h.port,
      h.identityFiles,
      h.explicitIdentity,
      h.agent ?? '',
      digest(h.passphrase),
      digest(h.password),
    ]),
  });
}

export class BastionPool {
  private readonly entries = new Map<string, Entry>();

  /** The bastion for `key` (see bastionKey), opened with `open` if not already; release each lease once. */
  async acquire(key: string, open: () => Promise<Client>): Promise<BastionLease> {
    let entry = this.entries.get(key);
    if (!entry) {
      const created: Entry = { client: open(), refs: 0 };
      entry = created;
      this.entries.set(key, created);
      created.client.then(
        (c) => {
          c.on('error', () => undefined);
          // A dead bastion is opened again by the next host that needs it.
          c.once('close', () => this.entries.get(key) === created && this.entries.delete(key));
        },
        () => this.entries.get(key) === created && this.entries.delete(key),
      );
    }
    entry.refs++;
    let client: Client;
    try {
      client = await entry.client;
    } catch (e) {
      entry.refs--;
      throw e;
    }
    let released = false;
    const e = entry;
    return {
      client,
      release: () => {
        if (released) return;
        released = true;
        if (--e.refs > 0) return;
        if (this.entries.get(key) === e) this.entries.delete(key);
        client.end();
      },
    };
  }
}
