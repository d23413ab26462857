// kube-sim's admin surface (/__sim/...) on a real control plane, so the sandbox's tests and
// `herdbook sandbox status` steer and read both backends alike. The request log is the API
// server's audit log, the admin's (herdbook's) requests only; the played kubelets, the
// controllers and the sandbox's own setup write as other users.
import { parse } from 'yaml';
import { badRequest, StatusError, statusBody } from '../kube-sim/api/status.js';
import { checkScenario, ScenarioError } from '../kube-sim/scenario.js';
import type { AuditRecord } from './audit.js';
import type { RealKube } from './index.js';

/** What the admin surface needs of startRealKube's object. */
export type AdminTarget = Pick<
  RealKube,
  | 'requests'
  | 'mutatingRequests'
  | 'clearRequests'
  | 'nodeNames'
  | 'kubelet'
  | 'setNode'
  | 'releaseNode'
  | 'setPodReady'
  | 'apply'
  | 'pauseControllerManager'
>;

export type AdminAnswer = { code: number; body: unknown };

// The node lifecycle controller removes the taint as soon as the node is Ready; only a
// controller manager that does not run leaves it (POST /__sim/controller-manager).
const NO_KEEP_TAINT =
  'keepUnreachableTaint is kube-sim only: on a real control plane the node lifecycle controller removes node.kubernetes.io/unreachable once the node is Ready. ' +
  'To leave a Ready node with the taint, stop the controller manager first (POST /__sim/controller-manager {"running": false}), as a wedged k3s server would';

/** kube-sim's RequestRecord shape, from an audit record. */
export function requestRecord(r: AuditRecord, seq: number) {
  const url = new URL(r.path, 'https://audit.invalid');
  const query: Record<string, string[]> = {};
  for (const [k, v] of url.searchParams) (query[k] ??= []).push(v);
  const dryRun = (query.dryRun ?? []).includes('All');
  const write = ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(r.verb);
  return {
    seq,
    time: r.time,
    method: r.method,
    path: url.pathname,
    query,
    user: r.user,
    verb: r.verb,
    status: r.status,
    dryRun,
    mutating: write && !dryRun,
  };
}

function objectBody(body: string): Record<string, unknown> {
  const v = body.trim() ? (parse(body) as unknown) : {};
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw badRequest('expected a JSON or YAML object');
  return v as Record<string, unknown>;
}

export async function adminRoute(kube: AdminTarget, method: string, url: URL, body: string): Promise<AdminAnswer> {
  try {
    return { code: 200, body: await route(kube, method, url, body) };
  } catch (e) {
    if (e instanceof StatusError) return { code: e.httpCode, body: e.status };
    if (e instanceof ScenarioError) return { code: 400, body: statusBody(400, e.message, 'BadRequest') };
    return { code: 500, body: statusBody(500, (e as Error).message, 'InternalError') };
  }
}

async function route(kube: AdminTarget, method: string, url: URL, body: string): Promise<unknown> {
  const [what, a, b] = url.pathname.split('/').filter(Boolean).slice(1).map(decodeURIComponent);
  const notFound = (why = `no admin endpoint ${method} ${url.pathname}`) =>
    new StatusError(statusBody(404, why, 'NotFound'));
  const node = (name: string) => {
    const s = kube.kubelet(name);
    if (!s) throw notFound(`no node ${name}`);
    return { name, ...s };
  };
  if (what === 'health' && method === 'GET') return { ok: true };
  if (what === 'requests' && method === 'GET') {
    const mutating = ['1', 'true'].includes(url.searchParams.get('mutating') ?? '');
    return {
      items: (await (mutating ? kube.mutatingRequests() : kube.requests())).map((r, i) => requestRecord(r, i + 1)),
    };
  }
  if ((what === 'reset-requests' && method === 'POST') || (what === 'requests' && method === 'DELETE')) {
    await kube.clearRequests();
    return { ok: true };
  }
  if (what === 'nodes' && !a && method === 'GET') return { items: kube.nodeNames().map(node) };
  if (what === 'nodes' && a && method === 'GET') return node(a);
  if (what === 'nodes' && a && ['POST', 'PUT', 'PATCH'].includes(method)) {
    node(a);
    const change = objectBody(body) as {
      ready?: boolean;
      reachable?: boolean;
      kubeletVersion?: string;
      keepUnreachableTaint?: boolean;
      release?: boolean;
    };
    if (change.keepUnreachableTaint) throw badRequest(NO_KEEP_TAINT);
    if (change.release) {
      kube.releaseNode(a);
      return node(a);
    }
    return {
      name: a,
      ...kube.setNode(a, { ready: change.ready, reachable: change.reachable, kubeletVersion: change.kubeletVersion }),
    };
  }
  if (what === 'pods' && a && b && method === 'POST') {
    const change = objectBody(body);
    if (typeof change.ready === 'boolean') await kube.setPodReady(a, b, change.ready);
    return { ok: true };
  }
  if (what === 'apply' && method === 'POST') {
    await kube.apply(checkScenario(objectBody(body), 'admin apply'));
    return { ok: true };
  }
  // Real only: kube-sim's controllers cannot be stopped.
  if (what === 'controller-manager' && method === 'POST') {
    const { running } = objectBody(body);
    if (typeof running !== 'boolean') throw badRequest('expected {"running": true|false}');
    kube.pauseControllerManager(!running);
    return { running };
  }
  throw notFound();
}
