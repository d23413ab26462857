// kube-apiserver's command line: the flags shared/kube/README.md lists, plus an audit log
// of every request (tests read it to prove what a run wrote, and that check mode wrote
// nothing). Blocking mode writes each event before the answer goes out.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PkiFiles } from './pki.js';
import { SERVICE_CIDR, USERS } from './pki.js';

// One event per request: at ResponseComplete (RequestReceived and ResponseStarted would
// double the lines, and watches would start events that complete only when they end). Only the
// admin's requests are read back (audit.ts): the played kubelets (a heartbeat a second), the
// controllers (each as its service account) and the scheduler are not logged, which spares the
// API server an event per heartbeat and the reader a log to skip through.
export const AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived", "ResponseStarted"]
rules:
  - level: None
    users: ${JSON.stringify([USERS.kubelet, USERS.controllerManager, USERS.scheduler, 'system:apiserver'])}
  - level: None
    userGroups: ["system:serviceaccounts"]
  - level: Metadata
`;

export type ApiserverSettings = {
  etcdUrl: string;
  port: number;
  files: PkiFiles;
  stateDir: string;
  auditPolicy: string;
  auditLog: string;
  /** tolerationSeconds of the not-ready/unreachable tolerations every pod gets (300 on a real cluster). */
  tolerationSeconds: number;
};

export async function writeAuditPolicy(stateDir: string): Promise<string> {
  const file = path.join(stateDir, 'audit-policy.yaml');
  await writeFile(file, AUDIT_POLICY);
  return file;
}

export function apiserverArgs(bin: string, s: ApiserverSettings): string[] {
  return [
    bin,
    `--etcd-servers=${s.etcdUrl}`,
    `--secure-port=${s.port}`,
    '--bind-address=127.0.0.1',
    '--advertise-address=127.0.0.1',
    `--cert-dir=${path.join(s.stateDir, 'apiserver-certs')}`,
    `--tls-cert-file=${s.files.serverCert}`,
    `--tls-private-key-file=${s.files.serverKey}`,
    `--client-ca-file=${s.files.caCert}`,
    `--service-account-key-file=${s.files.saPublic}`,
    `--service-account-signing-key-file=${s.files.saPrivate}`,
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    `--service-cluster-ip-range=${SERVICE_CIDR}`,
    '--authorization-mode=Node,RBAC',
    // On loopback there is no address to publish for the `kubernetes` Service.
    '--endpoint-reconciler-type=none',
    '--allow-privileged=true',
    '--profiling=false',
    `--default-not-ready-toleration-seconds=${s.tolerationSeconds}`,
    `--default-unreachable-toleration-seconds=${s.tolerationSeconds}`,
    `--audit-policy-file=${s.auditPolicy}`,
    `--audit-log-path=${s.auditLog}`,
    '--audit-log-format=json',
    '--audit-log-mode=blocking',
    // A sandbox may run for days: rotate at 100 MB, keeping one old file.
    '--audit-log-maxsize=100',
    '--audit-log-maxbackup=1',
  ];
}
