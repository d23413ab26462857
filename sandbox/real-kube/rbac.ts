// The read-only `viewer`: the built-in `view` ClusterRole everywhere, plus reading nodes and
// leases, which `view` leaves out and a health check needs (kube-sim's viewer reads all); and
// kube-sim's users (SimUser) given the same rights as there.
import type { V1ClusterRoleBinding } from '@kubernetes/client-node';
import type { SimUser } from '../kube-sim/server/auth.js';
import { tolerant, type ApiClients } from './clients.js';
import { USERS } from './pki.js';

const GROUP = 'rbac.authorization.k8s.io';

function binding(name: string, role: string): V1ClusterRoleBinding {
  return {
    apiVersion: `${GROUP}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name },
    roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role },
    subjects: [{ apiGroup: GROUP, kind: 'User', name: USERS.viewer }],
  };
}

export async function bindViewer(api: ApiClients): Promise<void> {
  const read = ['get', 'list', 'watch'];
  await tolerant(
    api.rbac.createClusterRole({
      body: {
        metadata: { name: 'herdbook:viewer-cluster' },
        rules: [
          { apiGroups: [''], resources: ['nodes'], verbs: read },
          { apiGroups: ['coordination.k8s.io'], resources: ['leases'], verbs: read },
        ],
      },
    }),
  );
  await tolerant(api.rbac.createClusterRoleBinding({ body: binding('herdbook:viewer', 'view') }));
  await tolerant(
    api.rbac.createClusterRoleBinding({ body: binding('herdbook:viewer-cluster', 'herdbook:viewer-cluster') }),
  );
}

/**
 * What a kube-sim user may do, as RBAC: `view` as the viewer, explicit rules as a ClusterRole
 * of its own bound to the user (a rule without apiGroups matches every group, as in kube-sim),
 * nothing for no rules. `admin` needs no binding: its certificate says O=system:masters.
 */
export async function bindUser(api: ApiClients, user: SimUser): Promise<void> {
  const subjects = [{ apiGroup: GROUP, kind: 'User', name: user.name }];
  const bind = (name: string, role: string) =>
    tolerant(
      api.rbac.createClusterRoleBinding({
        body: {
          apiVersion: `${GROUP}/v1`,
          kind: 'ClusterRoleBinding',
          metadata: { name },
          roleRef: { apiGroup: GROUP, kind: 'ClusterRole', name: role },
          subjects,
        },
      }),
    );
  if (user.role === 'admin') return;
  if (user.role === 'view') {
    await bind(`herdbook:user:${user.name}:view`, 'view');
    await bind(`herdbook:user:${user.name}:viewer-cluster`, 'herdbook:viewer-cluster');
    return;
  }
  if (!user.role.rules.length) return;
  const name = `herdbook:user:${user.name}`;
  const rules = user.role.rules.map((r) => ({
    apiGroups: r.apiGroups ?? ['*'],
    resources: r.resources,
    verbs: r.verbs,
  }));
  await tolerant(api.rbac.createClusterRole({ body: { metadata: { name }, rules } }));
  await bind(name, name);
}
