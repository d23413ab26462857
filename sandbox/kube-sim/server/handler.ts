// The HTTP side of the API server: read, authenticate, route, authorize, answer, log.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { ApiContext, ApiReply, ApiRequest } from '../api/context.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from '../api/discovery.js';
import { dispatch } from '../api/dispatch.js';
import { route, verbOf } from '../api/router.js';
import {
  forbidden,
  forbiddenPath,
  internal,
  resourceNotFound,
  StatusError,
  unauthorized,
  type Status,
} from '../api/status.js';
import { startWatch } from '../api/watch.js';
import { ANONYMOUS, authenticate, authorize, impersonate, type Identity, type SimUser } from './auth.js';
import { isMutating, type RequestLog } from './request-log.js';

export type AdminHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: string,
  identity: Identity | undefined,
) => Promise<void> | void;

export type HandlerDeps = {
  ctx: ApiContext;
  users: SimUser[];
  log: RequestLog;
  /** gitVersion for /version: the servers' kubelet version. */
  version(): string;
  /** host:port for /api's serverAddressByClientCIDRs. */
  address(): string;
  admin: AdminHandler;
  /** kube-apiserver's --anonymous-auth: k3s turns it off (401); the transcripts' server had it on (403, transcript 30). */
  anonymousAuth?: boolean;
};

type Answer = ApiReply & { text?: string; stream?: true };

const MAX_BODY = 3 * 1024 * 1024;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > MAX_BODY)
      throw new StatusError({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'the request body is too large',
        reason: 'RequestEntityTooLarge',
        code: 413,
      });
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function parseBody(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body);
  } catch {
    return body;
  }
}

export function createHandler(deps: HandlerDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'https://kube-sim');
    const method = req.method ?? 'GET';
    let body = '';
    let verb: string | undefined;
    let answer: Answer;
    const authenticated = authenticate(req, deps.users);
    let identity = authenticated;
    try {
      body = await readBody(req);
      if (url.pathname === '/__sim' || url.pathname.startsWith('/__sim/'))
        return await deps.admin(req, res, url, body, authenticated);
      identity = authenticated
        ? impersonate(req, authenticated, deps.users)
        : deps.anonymousAuth
          ? ANONYMOUS
          : undefined;
      if (!identity) throw unauthorized();
      const r = await answer_(deps, req, res, url, method, body, identity, (v) => (verb = v));
      answer = r;
    } catch (e) {
      answer =
        e instanceof StatusError
          ? { code: e.httpCode, body: e.status }
          : { code: 500, body: internal((e as Error).message).status };
    }
    if (!answer.stream) write(res, answer);
    const dryRun = url.searchParams.getAll('dryRun').includes('All') || /"dryRun"\s*:\s*\[\s*"All"/.test(body);
    const failure = answer.code >= 400 ? (answer.body as Status | undefined) : undefined;
    deps.log.add({
      time: new Date().toISOString(),
      method,
      path: url.pathname,
      query: Object.fromEntries([...new Set(url.searchParams.keys())].map((k) => [k, url.searchParams.getAll(k)])),
      contentType: req.headers['content-type'],
      user: identity?.name,
      verb,
      status: answer.code,
      body: parseBody(body),
      dryRun,
      mutating: isMutating(method, verb, dryRun),
      reason: failure?.reason,
      message: typeof failure === 'object' ? failure?.message : undefined,
    });
  };
}

async function answer_(
  deps: HandlerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  body: string,
  identity: Identity,
  setVerb: (v: string) => void,
): Promise<Answer> {
  const r = route(url.pathname);
  if (r.kind === 'notFound') return { code: 404, body: undefined, text: '404 page not found\n' };
  if (r.kind === 'unknownResource') throw resourceNotFound();
  if (r.kind === 'nonResource' || r.kind === 'discovery') {
    const v = method.toLowerCase() === 'head' ? 'get' : method.toLowerCase();
    const reason = authorize(identity, { verb: v, resourceRequest: false, path: url.pathname });
    if (reason) throw forbiddenPath(reason);
    if (r.kind === 'discovery') {
      if (r.doc === 'api') return { code: 200, body: apiVersions(deps.address()) };
      if (r.doc === 'apis') return { code: 200, body: apiGroupList() };
      if (r.doc === 'group') return { code: 200, body: apiGroup(r.group) };
      return { code: 200, body: apiResourceList(r.group, r.version!) };
    }
    if (r.path === '/version') return { code: 200, body: versionInfo(deps.version()) };
    if (/^\/(healthz|livez|readyz)(\/.*)?$/.test(r.path)) return { code: 200, body: undefined, text: 'ok' };
    return { code: 404, body: undefined, text: '404 page not found\n' };
  }
  const verb = verbOf(method, r, url.searchParams);
  setVerb(verb);
  const reason = authorize(identity, {
    verb,
    resourceRequest: true,
    path: url.pathname,
    group: r.def.group,
    resource: r.def.resource,
    subresource: r.subresource,
    namespace: r.namespace,
    name: r.name,
  });
  if (reason) throw forbidden({ group: r.def.group, resource: r.def.resource }, r.name ?? '', reason);
  const apiReq: ApiRequest = {
    verb,
    def: r.def,
    namespace: r.namespace,
    name: r.name,
    subresource: r.subresource,
    query: url.searchParams,
    body,
    contentType: req.headers['content-type'],
    userAgent: req.headers['user-agent'],
  };
  if (verb === 'watch') {
    startWatch(deps.ctx, apiReq, res, () => undefined);
    return { code: 200, body: undefined, stream: true };
  }
  return dispatch(deps.ctx, apiReq);
}

function write(res: ServerResponse, a: Answer): void {
  const headers: Record<string, string> = { 'Audit-Id': randomUUID(), 'Cache-Control': 'no-cache, private' };
  const retry = (a.body as Status | undefined)?.details?.retryAfterSeconds;
  if (retry) headers['Retry-After'] = String(retry);
  if (a.text !== undefined) {
    res.writeHead(a.code, {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'X-Content-Type-Options': 'nosniff',
    });
    res.end(a.text);
    return;
  }
  // One `Warning: 299 - "text"` header per warning (transcript 09).
  const warning = a.warnings?.length ? { Warning: a.warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
  res.writeHead(a.code, { ...headers, 'Content-Type': 'application/json', ...warning });
  res.end(a.body === undefined ? '' : JSON.stringify(a.body));
}
