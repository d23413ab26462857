// Kubernetes API failures as one clear sentence (`Forbidden: nodes "w-1" is forbidden: ...`),
// never a stack trace.
import { ModuleError } from '../errors.js';

type ApiLike = { code?: number; body?: unknown; message?: string; cause?: unknown };

export type KubeStatus = {
  code?: number;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
};

export function statusOf(e: unknown): KubeStatus | undefined {
  const body = (e as ApiLike)?.body;
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (parsed && typeof parsed === 'object' && (parsed as { kind?: string }).kind === 'Status') return parsed;
  return undefined;
}

export function statusCode(e: unknown): number | undefined {
  const c = (e as ApiLike)?.code;
  return typeof c === 'number' ? c : statusOf(e)?.code;
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ETIMEDOUT: 'timed out',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ECONNRESET: 'connection reset',
};

export function kubeErrorMessage(e: unknown, server?: string): string {
  const status = statusOf(e);
  if (status?.message) return `${status.reason ?? `HTTP ${status.code}`}: ${status.message}`;
  const code = (e as ApiLike)?.code;
  if (typeof code === 'number') return `HTTP ${code} from the Kubernetes API${server ? ` at ${server}` : ''}`;
  let cause: unknown = e;
  for (let i = 0; i < 4 && cause; i++) {
    const c = (cause as { code?: string }).code;
    if (typeof c === 'string' && NETWORK[c])
      return `cannot reach the Kubernetes API${server ? ` at ${server}` : ''}: ${NETWORK[c]}`;
    const m = (cause as Error).message ?? '';
    if (/certificate|self[- ]signed|unable to verify/i.test(m))
      return `TLS error talking to the Kubernetes API${server ? ` at ${server}` : ''}: ${m}`;
    cause = (cause as ApiLike).cause;
  }
  return e instanceof Error ? e.message : String(e);
}

/**
 * No Kubernetes API is configured for this run (no kubeconfig, kubeconfig_from, KUBECONFIG or
 * ~/.kube/config). The one client failure a module with an API-less fallback may treat as
 * "no API": a configured API that fails (missing file, 403, TLS, 5xx) is a failure.
 */
export class NoKubeApiError extends ModuleError {}

export function kubeError(e: unknown, doing: string, server?: string): ModuleError {
  return new ModuleError(`${doing}: ${kubeErrorMessage(e, server)}`, { http_status: statusCode(e) }, { cause: e });
}
