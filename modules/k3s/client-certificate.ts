// The client certificate a kubeconfig authenticates with, and its dates: read on the controller
// with node's X509Certificate, so the node needs no openssl. Pure: kubeconfig text in, facts out.
import { X509Certificate } from 'node:crypto';
import { parse } from 'yaml';

export type ClientCertificate =
  /** The current context's user has client-certificate-data (k3s.yaml's form) or a certificate file. */
  | { kind: 'certificate'; subject: string; not_before: string; not_after: string }
  /** A file the kubeconfig names (`client-certificate:`), to read before the dates are known. */
  | { kind: 'file'; path: string }
  /** Token, exec plugin or no user: nothing here expires. */
  | { kind: 'none'; why: string }
  | { kind: 'unreadable'; why: string };

function entry(list: unknown, name: unknown, key: string): Record<string, unknown> | undefined {
  if (!Array.isArray(list)) return undefined;
  const found = (list as Record<string, unknown>[]).find((e) => e && typeof e === 'object' && e.name === name);
  const value = found?.[key];
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

/** The dates of a PEM certificate (the first one of a chain). */
export function certificateDates(pem: string): ClientCertificate {
  try {
    const cert = new X509Certificate(pem);
    return {
      kind: 'certificate',
      subject: cert.subject.replace(/\n/g, ', '),
      not_before: new Date(cert.validFrom).toISOString(),
      not_after: new Date(cert.validTo).toISOString(),
    };
  } catch (e) {
    return { kind: 'unreadable', why: `not an X.509 certificate (${(e as Error).message})` };
  }
}

/** The current context's client certificate in a kubeconfig. */
export function kubeconfigClientCertificate(text: string): ClientCertificate {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(text) ?? {}) as Record<string, unknown>;
  } catch (e) {
    return { kind: 'unreadable', why: `not YAML (${(e as Error).message})` };
  }
  const context = entry(doc.contexts, doc['current-context'], 'context');
  const user = entry(doc.users, context?.user, 'user');
  if (!user) return { kind: 'none', why: 'the current context has no user' };
  const data = user['client-certificate-data'];
  if (typeof data === 'string' && data) return certificateDates(Buffer.from(data, 'base64').toString('utf8'));
  const file = user['client-certificate'];
  if (typeof file === 'string' && file) return { kind: 'file', path: file };
  return { kind: 'none', why: 'its user authenticates without a client certificate (a token or a plugin)' };
}

const DAY_MS = 86_400_000;

/** The day a moment falls on (UTC), as the operator reads an expiry: 2026-11-30. */
export const day = (iso: string): string => iso.slice(0, 10);

/** Whole days from `nowMs` until `iso` (negative once past). */
export const daysUntil = (iso: string, nowMs: number): number => Math.floor((Date.parse(iso) - nowMs) / DAY_MS);

/** Expired, or expiring within `renewDays` days of `nowMs`. */
export const needsRenewal = (notAfter: string, nowMs: number, renewDays: number): boolean =>
  Date.parse(notAfter) <= nowMs + renewDays * DAY_MS;
