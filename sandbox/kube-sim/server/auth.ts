// Who is asking (client certificate or bearer token) and may they: a small RBAC with the
// API server's 401 and 403 wording (endpoints/handlers/responsewriters/errors.go).
import type { IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { forbidden } from '../api/status.js';

export type Rule = { verbs: string[]; resources: string[]; apiGroups?: string[] };

/** `admin`: everything (system:masters). `view`: get, list, watch. Or explicit rules. */
export type Role = 'admin' | 'view' | { rules: Rule[] };

export type SimUser = { name: string; groups?: string[]; token?: string; role: Role };

export type Identity = { name: string; groups: string[]; role: Role };

export type Attributes = {
  verb: string;
  resourceRequest: boolean;
  path: string;
  group?: string;
  resource?: string;
  subresource?: string;
  namespace?: string;
  name?: string;
};

export function authenticate(req: IncomingMessage, users: SimUser[]): Identity | undefined {
  // The x509 authenticator runs before the token one, so a valid certificate wins.
  const socket = req.socket as TLSSocket;
  if (socket.authorized) {
    const subject = socket.getPeerCertificate()?.subject;
    if (subject?.CN) {
      const groups = ([] as string[]).concat(subject.O ?? []);
      const known = users.find((u) => u.name === String(subject.CN));
      const role: Role = groups.includes('system:masters') ? 'admin' : (known?.role ?? { rules: [] });
      return { name: String(subject.CN), groups, role };
    }
  }
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return undefined;
  const user = users.find((u) => u.token !== undefined && u.token === m[1]);
  return user && { name: user.name, groups: user.groups ?? ['system:authenticated'], role: user.role };
}

/** system:anonymous, when anonymous authentication is on: no rights but the public-info paths. */
export const ANONYMOUS: Identity = {
  name: 'system:anonymous',
  groups: ['system:unauthenticated'],
  role: { rules: [] },
};

const PUBLIC_INFO = /^\/(version|healthz|livez|readyz)(\/.*)?$/;

/**
 * Impersonate-User (and Impersonate-Group) headers: who a request acts as. Only an admin
 * (system:masters) may impersonate; anyone else is refused as RBAC refuses the verb.
 */
export function impersonate(req: IncomingMessage, who: Identity, users: SimUser[]): Identity {
  const name = req.headers['impersonate-user'];
  if (typeof name !== 'string' || !name) return who;
  if (who.role !== 'admin') {
    throw forbidden(
      { group: '', resource: 'users' },
      name,
      `User ${JSON.stringify(who.name)} cannot impersonate resource "users" in API group "" at the cluster scope`,
    );
  }
  const extra = ([] as string[]).concat(req.headers['impersonate-group'] ?? []);
  const known = users.find((u) => u.name === name);
  return { name, groups: [...extra, 'system:authenticated'], role: known?.role ?? { rules: [] } };
}

const READ = ['get', 'list', 'watch'];

function allows(identity: Identity, a: Attributes): boolean {
  const role = identity.role;
  if (role === 'admin') return true;
  // system:public-info-viewer lets anyone read these; system:discovery every authenticated user.
  if (!a.resourceRequest)
    return a.verb === 'get' && (PUBLIC_INFO.test(a.path) || !identity.groups.includes('system:unauthenticated'));
  if (role === 'view') return READ.includes(a.verb);
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource!;
  return role.rules.some(
    (r) =>
      (r.verbs.includes('*') || r.verbs.includes(a.verb)) &&
      (r.resources.includes('*') || r.resources.includes(resource)) &&
      (r.apiGroups === undefined || r.apiGroups.includes('*') || r.apiGroups.includes(a.group ?? '')),
  );
}

/** undefined when allowed, else the reason text of the 403 (forbiddenMessage in the apiserver). */
export function authorize(identity: Identity, a: Attributes): string | undefined {
  if (allows(identity, a)) return undefined;
  const user = JSON.stringify(identity.name);
  if (!a.resourceRequest) return `User ${user} cannot ${a.verb} path ${JSON.stringify(a.path)}`;
  const resource = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace ${JSON.stringify(a.namespace)}` : 'at the cluster scope';
  return `User ${user} cannot ${a.verb} resource ${JSON.stringify(resource)} in API group ${JSON.stringify(a.group ?? '')} ${scope}`;
}
