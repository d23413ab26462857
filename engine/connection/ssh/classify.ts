// Turns socket, DNS and ssh2 errors into UnreachableError with a reason an operator can act on.
import { UnreachableError, type UnreachableReason } from '../../errors.js';
import { printedLines } from '../printed.js';
import type { Hop, RawResult } from './types.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL', 'EAI_NODATA']);

export function hopLabel(hop: Hop): string {
  return `${hop.address}:${hop.port}`;
}

function reasonOf(e: NodeJS.ErrnoException & { level?: string }): UnreachableReason {
  if (e.code === 'ECONNREFUSED') return 'refused';
  if (e.code && DNS_CODES.has(e.code)) return 'dns';
  if (e.code === 'ETIMEDOUT' || e.level === 'client-timeout') return 'timeout';
  if (e.level === 'client-authentication') return 'auth';
  const m = e.message ?? '';
  // A bastion reports the failure of its own connection to the next hop in the channel-open text.
  if (/Connection refused/i.test(m)) return 'refused';
  if (
    /getaddrinfo|Name or service not known|No address associated|nodename nor servname|Temporary failure in name resolution/i.test(
      m,
    )
  )
    return 'dns';
  if (/timed out/i.test(m)) return 'timeout';
  if (e.code === 'ECONNRESET' || /Connection lost|Socket closed|ECONNRESET/i.test(m)) return 'dropped';
  return 'other';
}

const WHY: Record<UnreachableReason, string> = {
  refused: 'connection refused',
  timeout: 'connection timed out',
  dns: 'cannot resolve host name',
  auth: 'authentication failed',
  hostkey: 'host key refused',
  dropped: 'connection closed by the server during the handshake',
  config: 'invalid ssh settings',
  login: 'the login shell runs no commands',
  container: 'the container cannot run commands',
  other: 'cannot connect',
};

export function connectFailure(host: string, hop: Hop, e: unknown): UnreachableError {
  if (e instanceof UnreachableError) return e;
  const err = e as NodeJS.ErrnoException & { level?: string };
  const reason = reasonOf(err);
  const name = reason === 'dns' ? hop.address : hopLabel(hop);
  const via = hop.name === host ? '' : ` (bastion ${hop.name} for ${host})`;
  return new UnreachableError(host, reason, `${WHY[reason]}: ${name}${via}: ${err.message}`, { cause: e });
}

/** ssh2 refused to open a channel (MaxSessions reached, or the server said no). */
export function isChannelOpenFailure(e: unknown): boolean {
  return e instanceof Error && e.message.startsWith('(SSH) Channel open failure');
}

/** sshd let the user in, but the login shell did not run our command line (it printed no pid line). */
export function loginRefused(host: string, hop: Hop, r: RawResult): UnreachableError {
  return new UnreachableError(
    host,
    'login',
    `${hop.user}@${hop.address}:${hop.port} accepted the login, but its login shell ran no command (exit ${r.rc}: ${printedLines(r.stderr.toString('utf8'), r.stdout.toString('utf8'))}); ` +
      `the user needs a working POSIX login shell (not nologin or /bin/false) and no ForceCommand`,
  );
}
