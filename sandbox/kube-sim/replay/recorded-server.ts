// How the server the transcripts were recorded on differs from k3s's defaults, so kube-sim can
// stand in for it: anonymous authentication on (transcript 30 is a 403 for system:anonymous,
// where k3s answers 401), v1.32.13, a service-account token volume that also projects the
// openshift-service-ca.crt ConfigMap (transcript 21; upstream projects three sources, that
// build four), and a user jane without RBAC rights (transcript 31).
import type { KubeSimOptions } from '../sim.js';

export const RECORDED_SERVER: KubeSimOptions = {
  anonymousAuth: true,
  version: 'v1.32.13',
  admission: {
    extraCaConfigMaps: [{ name: 'openshift-service-ca.crt', key: 'service-ca.crt', path: 'service-ca.crt' }],
  },
  users: [{ name: 'jane', role: { rules: [] } }],
};
