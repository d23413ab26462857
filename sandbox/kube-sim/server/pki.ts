// A CA, a server certificate for 127.0.0.1/localhost and client certificates, made in
// process: keys by node:crypto, X.509 by node-forge, so no openssl CLI is needed.
import { generateKeyPair, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import forge from 'node-forge';

export type KeyPair = { certPem: string; keyPem: string };
export type Pki = { ca: KeyPair; server: KeyPair; admin: KeyPair };

type Subject = { commonName: string; organization?: string[] };

/** An RSA key in the forms node-forge and PEM files need. */
export type GeneratedKey = { forgeKey: forge.pki.rsa.PrivateKey; forgePub: forge.pki.rsa.PublicKey; keyPem: string };

function fromNode(privateKey: KeyObject, publicKey: KeyObject): GeneratedKey {
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  return {
    keyPem,
    forgeKey: forge.pki.privateKeyFromPem(keyPem),
    forgePub: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

function newKey(): GeneratedKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return fromNode(privateKey, publicKey);
}

/** A key made off the main thread: several in parallel take a fraction of the time in a row. */
export async function generateKey(): Promise<GeneratedKey> {
  const { privateKey, publicKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return fromNode(privateKey, publicKey);
}

// UTF8String, as Go writes names that are not printable: forge's default PrintableString
// cannot hold the '@' of k3s's CA name or the ':' of system:admin, and Go's x509 refuses it.
function attrs(s: Subject): forge.pki.CertificateField[] {
  const utf8 = forge.asn1.Type.UTF8;
  return [
    ...(s.organization ?? []).map((o) => ({ name: 'organizationName', value: o, valueTagClass: utf8 })),
    { name: 'commonName', value: s.commonName, valueTagClass: utf8 },
    // @types/node-forge types valueTagClass as an asn1.Class; forge reads it as an asn1.Type.
  ] as unknown as forge.pki.CertificateField[];
}

function sign(
  subject: Subject,
  issuer: { cert?: forge.pki.Certificate; key?: forge.pki.rsa.PrivateKey },
  extensions: object[],
  days: number | Validity,
  key?: GeneratedKey,
): KeyPair {
  const k = key ?? newKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = k.forgePub;
  // A positive DER INTEGER with no padding byte: the first byte in 0x01..0x7f. (A leading "0"
  // nibble made forge emit 0x00 before a byte below 0x80, which OpenSSL rejects as illegal
  // padding: the rare "asn1 encoding routines::illegal padding" failure.)
  const serial = randomBytes(8);
  serial[0] = (serial[0] & 0x7f) | 0x01;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = typeof days === 'number' ? new Date(now - 3600_000) : days.notBefore;
  cert.validity.notAfter = typeof days === 'number' ? new Date(now + days * 86400_000) : days.notAfter;
  cert.setSubject(attrs(subject));
  cert.setIssuer(issuer.cert ? issuer.cert.subject.attributes : attrs(subject));
  cert.setExtensions(extensions);
  cert.sign(issuer.key ?? k.forgeKey, forge.md.sha256.create());
  return { certPem: forge.pki.certificateToPem(cert), keyPem: k.keyPem };
}

function issuerOf(ca: KeyPair) {
  return { cert: forge.pki.certificateFromPem(ca.certPem), key: forge.pki.privateKeyFromPem(ca.keyPem) };
}

/** A certificate's validity window, for one that has expired or soon will (k3s issues them for 365 days). */
export type Validity = { notBefore: Date; notAfter: Date };

/** A client certificate: CN is the user name, O the groups (as k3s's admin: system:admin / system:masters). */
export function issueClientCert(
  ca: KeyPair,
  user: string,
  groups: string[] = [],
  key?: GeneratedKey,
  validity?: Validity,
): KeyPair {
  return sign(
    { commonName: user, organization: groups },
    issuerOf(ca),
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', clientAuth: true },
    ],
    validity ?? 365,
    key,
  );
}

/** `keys`: made beforehand (generateKey), for the CA, the server and the admin; made here otherwise. */
export function createPki(
  hosts: { dns: string[]; ips: string[] } = { dns: ['localhost'], ips: ['127.0.0.1'] },
  keys: Partial<Record<'ca' | 'server' | 'admin', GeneratedKey>> = {},
): Pki {
  const ca = sign(
    { commonName: `k3s-server-ca@${Math.floor(Date.now() / 1000)}` },
    {},
    [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
    3650,
    keys.ca,
  );
  const altNames = [
    ...[
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      ...hosts.dns,
    ].map((value) => ({ type: 2, value })),
    ...hosts.ips.map((ip) => ({ type: 7, ip })),
  ];
  const server = sign(
    { commonName: 'k3s', organization: ['k3s'] },
    issuerOf(ca),
    [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames },
    ],
    365,
    keys.server,
  );
  const admin = issueClientCert(ca, 'system:admin', ['system:masters'], keys.admin);
  return { ca, server, admin };
}
