// Kubeconfig files shaped like k3s's /etc/rancher/k3s/k3s.yaml: inline CA and client
// certificate data, or a bearer token.
import { stringify } from 'yaml';

export type KubeconfigAuth = { certPem: string; keyPem: string } | { token: string };

const b64 = (s: string) => Buffer.from(s).toString('base64');

export function kubeconfigYaml(server: string, caPem: string, auth: KubeconfigAuth, name = 'default'): string {
  const user =
    'token' in auth
      ? { token: auth.token }
      : { 'client-certificate-data': b64(auth.certPem), 'client-key-data': b64(auth.keyPem) };
  return stringify({
    apiVersion: 'v1',
    clusters: [{ cluster: { 'certificate-authority-data': b64(caPem), server }, name: 'default' }],
    contexts: [{ context: { cluster: 'default', user: name }, name: 'default' }],
    'current-context': 'default',
    kind: 'Config',
    preferences: {},
    users: [{ name, user }],
  });
}
