// Opens the SSH connection to a host: TCP (or a channel through the previous bastion), host key
// check, authentication; retried with backoff while the failure looks transient.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'ssh2';
import type { Duplex } from 'node:stream';
import { UnreachableError } from '../../errors.js';
import { authFailure, planAuth } from './auth.js';
import { connectFailure, hopLabel } from './classify.js';
import { prepareHostKeyCheck } from './host-key.js';
import type { Hop, ResolvedSsh, SshDeps } from './types.js';

/** The target's client plus the bastions it was reached through (closed with it). */
export type Dialed = { client: Client; jumps: Client[] };

function tcpConnect(host: string, hop: Hop, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const sock = net.connect({ host: hop.address, port: hop.port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new UnreachableError(host, 'timeout', `connection timed out: no answer from ${hopLabel(hop)} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => {
      clearTimeout(timer);
      resolve(sock);
    });
    sock.once('error', (e) => {
      clearTimeout(timer);
      reject(connectFailure(host, hop, e));
    });
  });
}

function forwardThrough(host: string, via: Client, hop: Hop): Promise<Duplex> {
  return new Promise((resolve, reject) => {
    via.forwardOut('127.0.0.1', 0, hop.address, hop.port, (err, stream) => (err ? reject(connectFailure(host, hop, err)) : resolve(stream)));
  });
}

async function openHop(r: ResolvedSsh, hop: Hop, via: Client | undefined, deps: SshDeps): Promise<Client> {
  const env = deps.env ?? process.env;
  const hostKey = await prepareHostKeyCheck({ host: r.host, hop, policy: r.hostKeyChecking, files: r.knownHostsFiles, onEvent: deps.onEvent });
  const auth = await planAuth(r.host, hop, env);
  const sock = via ? await forwardThrough(r.host, via, hop) : await tcpConnect(r.host, hop, r.connectTimeout);
  const client = new Client();
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
        reject(new UnreachableError(r.host, 'timeout', `connection timed out: ${hopLabel(hop)} accepted the connection but completed no SSH handshake within ${r.connectTimeout} ms`, { cause: e }));
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
      keepaliveInterval: deps.keepaliveIntervalMs ?? 15_000,
      keepaliveCountMax: deps.keepaliveCountMax ?? 3,
      hostVerifier: hostKey.verifier,
      algorithms: { serverHostKey: hostKey.algorithms as never },
      authHandler: auth.handler,
    });
  });
}

async function dialOnce(r: ResolvedSsh, deps: SshDeps, attempt: number): Promise<Dialed> {
  const jumps: Client[] = [];
  try {
    let via: Client | undefined;
    for (const hop of [...r.jumps, r.target]) {
      deps.onEvent?.({ type: 'connect', host: r.host, hop: hopLabel(hop), attempt });
      const client = await openHop(r, hop, via, deps);
      if (hop !== r.target) {
        // A dead bastion closes the forwarded stream, which the target's client reports as a drop.
        client.on('error', () => undefined);
        jumps.push(client);
      }
      via = client;
    }
    return { client: via!, jumps };
  } catch (e) {
    for (const j of jumps) j.end();
    throw e;
  }
}

const TRANSIENT = new Set(['refused', 'timeout']);

/** Connects, retrying refused/timed-out attempts with exponential backoff. */
export async function dial(r: ResolvedSsh, deps: SshDeps = {}): Promise<Dialed> {
  const attempts = Math.max(1, deps.connectAttempts ?? 3);
  let delay = deps.retryDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await dialOnce(r, deps, attempt);
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
