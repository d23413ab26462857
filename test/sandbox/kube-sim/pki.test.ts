import { X509Certificate } from 'node:crypto';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { createPki } from '../../../sandbox/kube-sim/server/pki.js';

describe('pki', () => {
  it('issues certificates OpenSSL accepts, every time (positive, unpadded serials)', () => {
    for (let i = 0; i < 20; i++) {
      const pki = createPki();
      for (const pem of [pki.ca.certPem, pki.server.certPem]) {
        const serial = new X509Certificate(pem).serialNumber;
        expect(serial).toMatch(/^[0-7][0-9A-F]/);
        expect(serial).not.toMatch(/^00/);
      }
    }
    // 20 PKIs are about 60 RSA keys made in JavaScript: seconds when idle, minutes when loaded.
  }, 300_000);

  it('writes names as UTF8String, which the x509 package of Go parses ("@" and ":" are not PrintableString)', () => {
    const pki = createPki();
    for (const pem of [pki.ca.certPem, pki.server.certPem, pki.admin.certPem]) {
      const cert = forge.pki.certificateFromPem(pem);
      for (const a of [...cert.subject.attributes, ...cert.issuer.attributes])
        expect(a.valueTagClass).toBe(forge.asn1.Type.UTF8);
    }
    expect(forge.pki.certificateFromPem(pki.admin.certPem).subject.getField('CN').value).toBe('system:admin');
  });
});
