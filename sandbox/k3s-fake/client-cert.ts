// A server whose admin client certificate has expired, or soon will (shared/seeds/001: "kubectl
// auth failure (expired client certificate)"): what k3s leaves after running a year without a
// restart. The certificate is a real X.509 one with those dates (CN system:admin, O
// system:masters, as k3s issues it), in server/tls/client-admin.{crt,key} and embedded in
// /etc/rancher/k3s/k3s.yaml. Its issuer is a CA of its own: an expired certificate is refused
// by any API server whoever signed it.
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { createPki, issueClientCert } from '../kube-sim/server/pki.js';
import { k3sNodePaths } from './node-files.js';

const DAY_MS = 86_400_000;

/** Replaces the admin certificate of a started server with one valid until `notAfter` (365 days before it). */
export async function setClientCertificateExpiry(nodeRoot: string, notAfter: Date): Promise<void> {
  const p = k3sNodePaths(nodeRoot);
  const { ca } = createPki();
  const pair = issueClientCert(ca, 'system:admin', ['system:masters'], undefined, {
    notBefore: new Date(notAfter.getTime() - 365 * DAY_MS),
    notAfter,
  });
  await writeFile(p.clientAdminCert, pair.certPem);
  await writeFile(p.clientAdminKey, pair.keyPem);
  await chmod(p.clientAdminKey, 0o600);
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  const kubeconfig = (await readFile(p.kubeconfig, 'utf8'))
    .replace(/^(\s*client-certificate-data:).*$/m, `$1 ${b64(pair.certPem)}`)
    .replace(/^(\s*client-key-data:).*$/m, `$1 ${b64(pair.keyPem)}`);
  await writeFile(p.kubeconfig, kubeconfig);
}
