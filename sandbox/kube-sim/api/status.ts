// metav1.Status bodies with the wording of k8s.io/apimachinery/pkg/api/errors, so that
// clients (and herdbook's modules) meet the same messages they will meet on a real cluster.
import { HerdbookError } from '../../../engine/errors.js';

export type StatusCause = { reason?: string; message?: string; field?: string };

export type StatusDetails = {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
};

export type Status = {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
};

/** A group and a plural resource, printed as Go's GroupResource.String(): "leases.coordination.k8s.io". */
export type GroupResource = { group: string; resource: string };

export function grString(gr: GroupResource): string {
  return gr.group ? `${gr.resource}.${gr.group}` : gr.resource;
}

export function statusBody(
  code: number,
  message: string | undefined,
  reason?: string,
  details?: StatusDetails,
): Status {
  const s: Status = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: code < 400 ? 'Success' : 'Failure',
    code,
  };
  if (message !== undefined) s.message = message;
  if (reason) s.reason = reason;
  if (details) s.details = details;
  // Keep Go's field order: kind, apiVersion, metadata, status, message, reason, details, code.
  return {
    kind: s.kind,
    apiVersion: s.apiVersion,
    metadata: s.metadata,
    status: s.status,
    message: s.message,
    reason: s.reason,
    details: s.details,
    code: s.code,
  };
}

/** An API answer that is not a success: thrown by handlers, written as a Status body. */
export class StatusError extends HerdbookError {
  readonly status: Status;
  constructor(status: Status) {
    super('E_KUBE_STATUS', status.message ?? `status ${status.code}`);
    this.status = status;
  }
  get httpCode(): number {
    return this.status.code;
  }
}

function err(code: number, message: string, reason?: string, details?: StatusDetails): StatusError {
  return new StatusError(statusBody(code, message, reason, details));
}

function grDetails(gr: GroupResource, name: string): StatusDetails {
  const d: StatusDetails = { name };
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return d;
}

export const notFound = (gr: GroupResource, name: string) =>
  err(404, `${grString(gr)} "${name}" not found`, 'NotFound', grDetails(gr, name));

export const alreadyExists = (gr: GroupResource, name: string) =>
  err(409, `${grString(gr)} "${name}" already exists`, 'AlreadyExists', grDetails(gr, name));

export const conflict = (gr: GroupResource, name: string, why: string) =>
  err(409, `Operation cannot be fulfilled on ${grString(gr)} "${name}": ${why}`, 'Conflict', grDetails(gr, name));

export const OPTIMISTIC_LOCK_MESSAGE =
  'the object has been modified; please apply your changes to the latest version and try again';

export const badRequest = (message: string) => err(400, message, 'BadRequest');

export const unauthorized = () => err(401, 'Unauthorized', 'Unauthorized');

export function forbidden(gr: GroupResource, name: string, why: string): StatusError {
  const qualified = grString(gr);
  const message = name ? `${qualified} "${name}" is forbidden: ${why}` : `${qualified} is forbidden: ${why}`;
  const d: StatusDetails = {};
  if (name) d.name = name;
  if (gr.group) d.group = gr.group;
  d.kind = gr.resource;
  return err(403, message, 'Forbidden', d);
}

/** Forbidden for a non-resource path (/healthz, /version): no resource to qualify. */
export const forbiddenPath = (why: string) => err(403, `forbidden: ${why}`, 'Forbidden', {});

export function tooManyRequests(message: string, causes: StatusCause[], retryAfterSeconds = 0): StatusError {
  const d: StatusDetails = { causes };
  if (retryAfterSeconds > 0) d.retryAfterSeconds = retryAfterSeconds;
  return err(429, message, 'TooManyRequests', d);
}

export const methodNotAllowed = () =>
  err(405, 'the server does not allow this method on the requested resource', 'MethodNotAllowed', {});

export const resourceNotFound = () => err(404, 'the server could not find the requested resource', 'NotFound', {});

/**
 * A PATCH whose content type is no patch type: refused by go-restful's Consumes match before
 * the patch handler runs, in its own words (transcript 12).
 */
export const unsupportedMediaType = () => err(415, '415: Unsupported Media Type', 'UnsupportedMediaType', {});

export const internal = (message: string) =>
  err(500, `Internal error occurred: ${message}`, 'InternalError', { causes: [{ message }] });

/**
 * A JSON patch that decodes but cannot be applied (a failed `test`, a missing path):
 * NewGenericServerResponse(422, ..., isUnexpectedResponse=false), so no causes (transcript 08).
 */
export const patchNotApplicable = () =>
  err(422, 'the server rejected our request due to an error in our request', 'Invalid', {});
