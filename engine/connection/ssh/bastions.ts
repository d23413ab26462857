// Bastion connections shared by every host behind them: twenty nodes behind one ProxyJump make
// one bastion login, not twenty (sshd's MaxStartups would drop some of twenty at once).
import type { Client } from 'ssh2';

type Entry = { client: Promise<Client>; refs: number };

export type BastionLease = { client: Client; release(): void };

export class BastionPool {
  private readonly entries = new Map<string, Entry>();

  /** The bastion for `key` (its hop chain), opened with `open` if not already; release each lease once. */
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
