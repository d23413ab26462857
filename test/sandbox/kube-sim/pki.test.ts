import { X509Certificate } from 'node:crypto';
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
  });
});
