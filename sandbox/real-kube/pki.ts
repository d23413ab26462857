// Every certificate the control plane needs, from kube-sim's node-forge PKI: one CA that
// both signs the serving certificate and authenticates clients (--client-ca-file), one
// client identity per component, and the service-account key pair.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import forge from 'node-forge';
import { createPki, generateKey, issueClientCert, type KeyPair } from '../kube-sim/server/pki.js';

/** The first address of --service-cluster-ip-range: the `kubernetes` Service's ClusterIP. */
export const SERVICE_CIDR = '10.43.0.0/16';
export const KUBERNETES_SERVICE_IP = '10.43.0.1';

/** User names as they appear in the audit log. */
export const USERS = {
  /** herdbook's user, like k3s's /etc/rancher/k3s/k3s.yaml (O=system:masters). */
  admin: 'system:admin',
  controllerManager: 'system:kube-controller-manager',
  scheduler: 'system:kube-scheduler',
  /** The fake kubelets: separate from the admin so their writes are not herdbook's. */
  kubelet: 'fake-kubelet',
  /** Read-only: bound to the built-in `view` ClusterRole (and node reads) after start. */
  viewer: 'viewer',
} as const;

/** What kube-apiserver needs to start: the CA, its serving certificate, the admin and the service-account keys. */
export type ServerPki = {
  ca: KeyPair;
  server: KeyPair;
  admin: KeyPair;
  serviceAccount: { publicPem: string; privatePem: string };
};

/** The other identities, needed only once the API server runs. */
export type ComponentCerts = { controllerManager: KeyPair; scheduler: KeyPair; kubelet: KeyPair; viewer: KeyPair };

export type RealKubePki = ServerPki & ComponentCerts;

// RSA keys take 100-300 ms each; made in parallel off the main thread, and in two batches so
// the second is made while kube-apiserver starts.
export async function createServerPki(): Promise<ServerPki> {
  const [ca, server, admin, sa] = await Promise.all([generateKey(), generateKey(), generateKey(), generateKey()]);
  const base = createPki({ dns: ['localhost'], ips: ['127.0.0.1', KUBERNETES_SERVICE_IP] }, { ca, server, admin });
  return { ...base, serviceAccount: { publicPem: forge.pki.publicKeyToPem(sa.forgePub), privatePem: sa.keyPem } };
}

export async function issueComponentCerts(ca: KeyPair): Promise<ComponentCerts> {
  const [kcm, sched, kubelet, viewer] = await Promise.all([generateKey(), generateKey(), generateKey(), generateKey()]);
  return {
    controllerManager: issueClientCert(ca, USERS.controllerManager, [], kcm),
    scheduler: issueClientCert(ca, USERS.scheduler, [], sched),
    kubelet: issueClientCert(ca, USERS.kubelet, ['system:masters'], kubelet),
    viewer: issueClientCert(ca, USERS.viewer, [], viewer),
  };
}

export type PkiFiles = { caCert: string; serverCert: string; serverKey: string; saPublic: string; saPrivate: string };

/** The files kube-apiserver and kube-controller-manager read; keys are 0600. */
export async function writePkiFiles(dir: string, pki: ServerPki): Promise<PkiFiles> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const files: PkiFiles = {
    caCert: path.join(dir, 'ca.crt'),
    serverCert: path.join(dir, 'apiserver.crt'),
    serverKey: path.join(dir, 'apiserver.key'),
    saPublic: path.join(dir, 'service-account.pub'),
    saPrivate: path.join(dir, 'service-account.key'),
  };
  await writeFile(files.caCert, pki.ca.certPem);
  await writeFile(files.serverCert, pki.server.certPem);
  await writeFile(files.serverKey, pki.server.keyPem, { mode: 0o600 });
  await writeFile(files.saPublic, pki.serviceAccount.publicPem);
  await writeFile(files.saPrivate, pki.serviceAccount.privatePem, { mode: 0o600 });
  return files;
}
