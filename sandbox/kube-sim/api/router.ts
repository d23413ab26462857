// URL paths to what they name: a resource (with namespace, name, subresource), a
// discovery document, or a non-resource path like /version.
import { findResource, groupVersions, RESOURCES, type ResourceDef, type Verb } from './resources.js';
import { methodNotAllowed } from './status.js';

export type Route =
  | { kind: 'resource'; def: ResourceDef; namespace?: string; name?: string; subresource?: string }
  | { kind: 'discovery'; doc: 'api' | 'apis' | 'group' | 'resources'; group: string; version?: string }
  | { kind: 'nonResource'; path: string }
  /** A path under a served group version that names nothing: a Status 404, not the plain-text one. */
  | { kind: 'unknownResource' }
  | { kind: 'notFound' };

const served = (group: string, version?: string) =>
  groupVersions().some((gv) => gv.group === group && (version === undefined || gv.version === version));

export function route(pathname: string): Route {
  const segs = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (segs[0] === 'api') {
    if (segs.length === 1) return { kind: 'discovery', doc: 'api', group: '' };
    if (!served('', segs[1])) return { kind: 'notFound' };
    if (segs.length === 2) return { kind: 'discovery', doc: 'resources', group: '', version: segs[1] };
    return resourceRoute('', segs[1], segs.slice(2));
  }
  if (segs[0] === 'apis') {
    if (segs.length === 1) return { kind: 'discovery', doc: 'apis', group: '' };
    if (!served(segs[1])) return { kind: 'notFound' };
    if (segs.length === 2) return { kind: 'discovery', doc: 'group', group: segs[1] };
    if (!served(segs[1], segs[2])) return { kind: 'notFound' };
    if (segs.length === 3) return { kind: 'discovery', doc: 'resources', group: segs[1], version: segs[2] };
    return resourceRoute(segs[1], segs[2], segs.slice(3));
  }
  return { kind: 'nonResource', path: '/' + segs.join('/') };
}

function resourceRoute(group: string, version: string, rest: string[]): Route {
  let namespace: string | undefined;
  const namespacedRes =
    rest[0] === 'namespaces' && rest.length >= 3 ? findResource(group, version, rest[2]) : undefined;
  if (namespacedRes?.namespaced) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length > 3) return { kind: 'unknownResource' };
  const [resource, name, subresource] = rest;
  const def = findResource(group, version, resource);
  if (!def) return { kind: 'unknownResource' };
  // A namespaced object cannot be addressed without its namespace.
  if (def.namespaced && namespace === undefined && name !== undefined) return { kind: 'unknownResource' };
  if (subresource !== undefined && !def.subresources[subresource]) return { kind: 'unknownResource' };
  return { kind: 'resource', def, namespace, name, subresource };
}

/** The API verb of a request, or the 405 the API answers for a method the resource does not take. */
export function verbOf(method: string, r: Extract<Route, { kind: 'resource' }>, query: URLSearchParams): Verb {
  const watch = ['true', '1'].includes(query.get('watch') ?? '');
  let verb: Verb | undefined;
  switch (method) {
    case 'GET':
    case 'HEAD':
      verb = r.name ? 'get' : watch ? 'watch' : 'list';
      break;
    case 'POST':
      verb = r.name && !r.subresource ? undefined : 'create';
      break;
    case 'PUT':
      verb = r.name ? 'update' : undefined;
      break;
    case 'PATCH':
      verb = r.name ? 'patch' : undefined;
      break;
    case 'DELETE':
      verb = r.name ? 'delete' : 'deletecollection';
      break;
  }
  const allowed = r.subresource ? r.def.subresources[r.subresource].verbs : r.def.verbs;
  if (!verb || !allowed.includes(verb)) throw methodNotAllowed();
  return verb;
}

export { RESOURCES };
