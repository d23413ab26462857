// Opens the SSH connection to a host: TCP (or a channel through the previous bastion), host key
// check, authentication; retried with backoff while the failure looks transient.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setLongTimeout } from '../../timers.js';
// ssh2 is CommonJS: Node's ESM loader only offers its default export.
import ssh2, { type Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { UnreachableError } from '../../errors.js';
import { authFailure, planAuth } from './auth.js';
import { bastionKey, type BastionLease, type BastionPool } from './bastions.js';
import { connectFailure, hopLabel } from './classify.js';
import { prepareHostKeyCheck } from './host-key.js';
import type { Hop, ResolvedSsh, SshDeps } from './types.js';

/** The target's client; `release` lets go of the bastions it was reached through. */
export type Dialed = { client: Client; release: () => void };

function tcpConnect(host: string, hop: Hop, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    // Nagle off: a channel open and an exec request are small writes that must not wait for
    // the previous packet's delayed ACK (tens of milliseconds per command otherwise).
    const sock = net.connect({ host: hop.address, port: hop.port, noDelay: true });
    const timer = setLongTimeout(() => {
      sock.destroy();
      reject(
        new UnreachableError(
          host,
          'timeout',
          `connection timed out: no answer from ${hopLabel(hop)} within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    sock.once('connect', () => {
      timer.clear();
      resolve(sock);
    });
    sock.once('error', (e) => {
      timer.clear();
      reject(connectFailure(host, hop, e));
    });
  });
}

function forwardThrough(host: string, via: Client, hop: Hop): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.address, hop.port, (err, stream) =>
      err ? reject(connectFailure(host, hop, err)) : resolve(stream),
    );
  });
}

async function openHop(r: ResolvedSsh, hop: Hop, via: Client | undefined, deps: SshDeps): Promise<Client> {
  const env = deps.env ?? process.env;
  const hostKey = await prepareHostKeyCheck({
    host: r.host,
    hop,
    policy: r.hostKeyChecking,
    files: r.knownHostsFiles,
    onEvent: deps.onEvent,
  });
  const auth = await planAuth(r.host, hop, env);
  const sock = via ? await forwardThrough(r.host, via, hop) : await tcpConnect(r.host, hop, r.connectTimeout);
  const client = new ssh2.Client();
  return new Promise<Client>((resolve, reject) => {
    let failed = false;
    const fail = (e: Error & { level?: string }) => {
      // Tearing down emits more errors ("Connection lost before handshake"): report the first.
      if (failed) return;
      failed = true;
      client.removeAllListeners('ready');
      client.end();
      sock.destroy();
      const refused = hostKey.refusal();
      if (refused) reject(refused);
      else if (e.level === 'client-authentication') reject(authFailure(r.host, hop, auth.tried()));
      else if (e.level === 'client-timeout') {
        reject(
          new UnreachableError(
            r.host,
            'timeout',
            `connection timed out: ${hopLabel(hop)} accepted the connection but completed no SSH handshake within ${r.connectTimeout} ms`,
            { cause: e },
          ),
        );
      } else reject(connectFailure(r.host, hop, e));
    };
    client.on('error', fail);
    client.once('ready', () => {
      client.removeListener('error', fail);
      resolve(client);
    });
    client.connect({
      sock,
      username: hop.user,
      readyTimeout: r.connectTimeout,
      keepaliveInterval: r.keepaliveInterval ?? deps.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: r.keepaliveCountMax ?? deps.keepaliveCountMax ?? 3,
      hostVerifier: hostKey.verifier,
      algorithms: { serverHostKey: hostKey.algorithms as never },
      authHandler: auth.handler,
    });
  });
}

async function dialOnce(r: ResolvedSsh, deps: SshDeps, attempt: number, bastions?: BastionPool): Promise<Dialed> {
  const leases: BastionLease[] = [];
  const release = () => leases.forEach((l) => l.release());
  try {
    let via: Client | undefined;
    for (const [i, hop] of r.jumps.entries()) {
      const from = via;
      const open = () => {
        deps.onEvent?.({ type: 'connect', host: r.host, hop: hopLabel(hop), attempt });
        return openHop(r, hop, from, deps);
      };
      // Without a pool each host has its own bastion connections, ended with it.
      const lease = bastions
        ? await bastions.acquire(bastionKey(r, r.jumps.slice(0, i + 1)), open)
        : await open().then((c) => {
            // A dead bastion closes the forwarded stream, which the target's client reports as a drop.
            c.on('error', () => undefined);
            return { client: c, release: () => c.end() };
          });
      leases.push(lease);
      via = lease.client;
    }
    deps.onEvent?.({ type: 'connect', host: r.host, hop: hopLabel(r.target), attempt });
    const client = await openHop(r, r.target, via, deps);
    return { client, release };
  } catch (e) {
    release();
    // A shared bastion's failure was reported for the host that opened it: this host is unreachable too.
    if (e instanceof UnreachableError && e.host !== r.host)
      throw new UnreachableError(r.host, e.reason, e.message, { cause: e });
    throw e;
  }
}

const TRANSIENT = new Set(['refused', 'timeout']);

/** Connects, retrying refused/timed-out attempts with exponential backoff. */
export async function dial(r: ResolvedSsh, deps: SshDeps = {}, bastions?: BastionPool): Promise<Dialed> {
  const attempts = Math.max(1, deps.connectAttempts ?? 3);
  let delay = deps.retryDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialOnce(r, deps, attempt, bastions);
    } catch (e) {
      const err = e instanceof UnreachableError ? e : connectFailure(r.host, r.target, e);
      if (attempt >= attempts || !TRANSIENT.has(err.reason)) {
        if (attempt > 1) err.message += ` (after ${attempt} attempts)`;
        throw err;
      }
      deps.onEvent?.({ type: 'connect-retry', host: r.host, reason: err.reason, attempt, delayMs: delay });
      await sleep(delay);
      delay *= 2;
    }
  }
}
