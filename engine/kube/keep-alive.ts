// client-node 1.x makes a new https.Agent for every API call (KubeConfig.applySecurityAuthentication
// and applyToFetchOptions both call createAgent), so every call opens a TCP connection and does a
// full TLS handshake: the client parses the CA, certificate and key again and the API server signs
// a handshake, for each Lease renewal, each poll of a drain. Measured on the sandbox's played
// kubelets (one heartbeat a second), that was most of their CPU and of the API server's at idle.
// Here the agent client-node made is swapped for one kept per identity (the TLS options it was
// given) that keeps connections alive, as kubectl and client-go do.
import https from 'node:https';
import type { Socket } from 'node:net';
import type { KubeConfig } from '@kubernetes/client-node';

/**
 * An idle connection is closed after this long. Go's API server keeps idle HTTP/1.1 connections
 * open, but a load balancer in front of it may drop them silently: a call sent on such a
 * connection fails, so none is reused after a pause longer than a poll interval.
 */
export const IDLE_SOCKET_MS = 15_000;

export class KeepAliveAgent extends https.Agent {
  override keepSocketAlive(socket: Socket): void {
    // Node's agent honours the server's `Keep-Alive: timeout=N` hint here (a Node server's default
    // is 5 s), leaving a second's margin; otherwise bound the idle time ourselves. It returns
    // whether the socket is kept (@types/node says void).
    const keep = (super.keepSocketAlive as (this: https.Agent, s: Socket) => boolean).call(this, socket);
    if (keep && (socket.timeout === undefined || socket.timeout === 0 || socket.timeout > IDLE_SOCKET_MS))
      socket.setTimeout(IDLE_SOCKET_MS);
    return keep as unknown as void;
  }

  override reuseSocket(socket: Socket, req: Parameters<https.Agent['reuseSocket']>[1]): void {
    super.reuseSocket(socket, req);
    // The idle bound must not apply to the call now using the connection: a watch may wait longer.
    socket.setTimeout(0);
  }
}

/** The TLS options that identify whom an agent speaks for and which server it trusts. */
const IDENTITY = ['ca', 'cert', 'key', 'pfx', 'passphrase', 'rejectUnauthorized', 'servername'] as const;

/** How many identities one KubeConfig keeps agents for (a rotated client certificate is a new one). */
const MAX_AGENTS = 4;

export function reuseConnections(kc: KubeConfig): void {
  const agents = new Map<string, https.Agent>();
  const pooled = <A>(given: A): A => {
    const made: unknown = given;
    // A proxy agent (proxy-url in the kubeconfig) or plain HTTP: left as client-node made it.
    if (!(made instanceof https.Agent) || made.constructor !== https.Agent) return given;
    const options = made.options as Record<string, unknown>;
    const key = JSON.stringify(IDENTITY.map((k) => options[k] ?? null));
    let agent = agents.get(key);
    if (!agent) {
      agent = new KeepAliveAgent({ ...made.options, keepAlive: true });
      agents.set(key, agent);
      // Forgotten, not destroyed: a watch may still run on it; its idle connections close by themselves.
      if (agents.size > MAX_AGENTS) agents.delete(agents.keys().next().value as string);
    }
    return agent as A;
  };
  const applyAuth = kc.applySecurityAuthentication.bind(kc);
  kc.applySecurityAuthentication = async (context) => {
    await applyAuth(context);
    const made = context.getAgent();
    if (made) context.setAgent(pooled(made));
  };
  const applyFetch = kc.applyToFetchOptions.bind(kc);
  kc.applyToFetchOptions = async (opts) => {
    const init = await applyFetch(opts);
    return init.agent ? { ...init, agent: pooled(init.agent) } : init;
  };
}
