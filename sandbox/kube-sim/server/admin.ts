// The simulator's own HTTP surface, outside /api: inspect the request log and steer
// nodes and pods from another process. Admin credentials only.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse } from 'yaml';
import { forbiddenPath, StatusError, statusBody, unauthorized } from '../api/status.js';
import type { Cluster, NodeChange } from '../cluster.js';
import type { Kubelets } from '../controllers/kubelets.js';
import { checkScenario, ScenarioError } from '../scenario.js';
import type { Identity } from './auth.js';
import type { RequestLog } from './request-log.js';

export type AdminDeps = { cluster: Cluster; kubelets: Kubelets; log: RequestLog };

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parseBody(body: string): Record<string, unknown> {
  const v: unknown = body.trim() ? parse(body) : {};
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new StatusError(statusBody(400, 'expected a JSON or YAML object', 'BadRequest'));
  return v as Record<string, unknown>;
}

export function createAdmin(deps: AdminDeps) {
  return (req: IncomingMessage, res: ServerResponse, url: URL, body: string, identity: Identity | undefined): void => {
    try {
      if (!identity) throw unauthorized();
      if (identity.role !== 'admin')
        throw forbiddenPath(`User ${JSON.stringify(identity.name)} cannot use the simulator's admin surface`);
      send(res, 200, route(deps, req.method ?? 'GET', url, body));
    } catch (e) {
      if (e instanceof StatusError) send(res, e.httpCode, e.status);
      else if (e instanceof ScenarioError) send(res, 400, statusBody(400, e.message, 'BadRequest'));
      else send(res, 500, statusBody(500, (e as Error).message, 'InternalError'));
    }
  };
}

function route(deps: AdminDeps, method: string, url: URL, body: string): unknown {
  const parts = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const [what, a, b] = parts;
  const notFound = () => new StatusError(statusBody(404, `no admin endpoint ${method} ${url.pathname}`, 'NotFound'));
  if (what === 'health' && method === 'GET') return { ok: true };
  if (what === 'requests' && method === 'GET') {
    const mutating = ['1', 'true'].includes(url.searchParams.get('mutating') ?? '');
    return { items: mutating ? deps.log.mutating() : deps.log.all() };
  }
  if ((what === 'reset-requests' && method === 'POST') || (what === 'requests' && method === 'DELETE')) {
    deps.log.clear();
    return { ok: true };
  }
  if (what === 'nodes' && !a && method === 'GET') {
    return { items: deps.kubelets.names().map((name) => ({ name, ...deps.kubelets.get(name) })) };
  }
  if (what === 'nodes' && a && method === 'GET') {
    const s = deps.kubelets.get(a);
    if (!s) throw notFound();
    return { name: a, ...s };
  }
  if (what === 'nodes' && a && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
    if (!deps.kubelets.get(a)) throw new StatusError(statusBody(404, `no node ${a}`, 'NotFound'));
    const change = parseBody(body) as NodeChange & { release?: boolean };
    if (change.release) {
      deps.cluster.releaseNode(a);
      return { name: a, ...deps.kubelets.get(a) };
    }
    return { name: a, ...deps.cluster.setNode(a, change) };
  }
  if (what === 'nodes' && a && method === 'DELETE') {
    if (!deps.cluster.wipeNode(a))
      throw new StatusError(statusBody(404, `no scenario node ${a} whose kubelet a command reports`, 'NotFound'));
    return { ok: true };
  }
  if (what === 'pods' && a && b && method === 'POST') {
    const change = parseBody(body);
    if (typeof change.ready === 'boolean') deps.cluster.setPodReady(a, b, change.ready);
    return { ok: true };
  }
  if (what === 'apply' && method === 'POST') {
    deps.cluster.apply(checkScenario(parseBody(body), 'admin apply'));
    return { ok: true };
  }
  throw notFound();
}
