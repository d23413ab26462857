// Query and body options shared by the write verbs: dryRun, DeleteOptions.
import { invalidObject, notSupported } from './field-errors.js';
import { badRequest } from './status.js';
import { DecodeError } from '../decode/go-errors.js';
import { decodeObject } from '../decode/decode.js';
import { kindDef } from '../openapi/index.js';

/** metav1.DeleteOptions as a body decodes to: decoding against its Go type has checked every field's type. */
export type DeleteOptionsBody = {
  gracePeriodSeconds?: number;
  dryRun?: string[];
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
};

function decodeDeleteOptions(raw: unknown): DeleteOptionsBody {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw badRequest('the body of the request was not a JSON object');
  try {
    return decodeObject(raw, kindDef('meta.k8s.io/v1', 'DeleteOptions')!, 'json').value;
  } catch (e) {
    if (e instanceof DecodeError) throw badRequest(e.message);
    throw e;
  }
}

export type DeleteOptions = {
  gracePeriodSeconds?: number;
  dryRun: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
  propagationPolicy?: string;
};

/** `?dryRun=All` (the only value the API accepts). */
export function isDryRun(query: URLSearchParams, optionsKind = 'CreateOptions'): boolean {
  const values = query.getAll('dryRun');
  if (values.length === 0) return false;
  if (values.some((v) => v !== 'All')) {
    throw invalidObject(optionsKind, 'meta.k8s.io', '', [notSupported('dryRun', values.join(','), ['All'])]);
  }
  return true;
}

export function parseJsonBody(body: string): unknown {
  if (!body.trim()) return undefined;
  try {
    return JSON.parse(body);
  } catch (e) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(e as Error).message}`);
  }
}

/** DeleteOptions from the body (kubectl, client-node's `body`), decoded as its Go type, and from the query (`gracePeriodSeconds=`). */
export function parseDeleteOptions(query: URLSearchParams, body: string): DeleteOptions {
  const b = decodeDeleteOptions(parseJsonBody(body));
  const q = query.get('gracePeriodSeconds');
  const grace = b.gracePeriodSeconds ?? (q !== null ? Number(q) : undefined);
  if (grace !== undefined && !Number.isInteger(grace)) throw badRequest(`invalid gracePeriodSeconds: ${String(grace)}`);
  const dryRunBody = Array.isArray(b.dryRun) ? b.dryRun : [];
  const dryRun = isDryRun(query, 'DeleteOptions') || dryRunBody.includes('All');
  return {
    gracePeriodSeconds: grace,
    dryRun,
    preconditions: b.preconditions,
    propagationPolicy: b.propagationPolicy ?? query.get('propagationPolicy') ?? undefined,
  };
}
