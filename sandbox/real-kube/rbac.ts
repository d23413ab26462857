// The read-only `viewer`: the built-in `view` ClusterRole everywhere, plus reading nodes and
// leases, which `view` leaves out and a health check needs (kube-sim's viewer reads all).
import type { V1ClusterRoleBinding } from '@kubernetes/client-node';
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
  await tolerant(api.rbac.createClusterRoleBinding({ body: binding('herdbook:viewer-cluster', 'herdbook:viewer-cluster') }));
}
