// k3s_certificate: plan fixtures; the kubeconfig parser on real certificates (node-forge, read
// back with node's X509Certificate); and on a real sshd node with the fake k3s, a server whose
// admin certificate expired: --check touches nothing, the run rotates (stop, rotate, start) and
// k3s.yaml holds a new certificate, a second run is ok, rotate: false fails with the date.
import { existsSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { certificateDates, kubeconfigClientCertificate, needsRenewal } from '../../modules/k3s/client-certificate.js';
import { k3sCertificate } from '../../modules/k3s/k3s_certificate.js';
import { readFakeSystemdLog } from '../../sandbox/fleet/index.js';
import {
  k3sNodePaths,
  preinstallK3s,
  seedKubeconfig,
  setClientCertificateExpiry,
  setFakeNodeName,
} from '../../sandbox/k3s-fake/index.js';
import { createPki, issueClientCert } from '../../sandbox/kube-sim/server/pki.js';
import { kubeconfigYaml } from '../../sandbox/kube-sim/server/kubeconfig.js';
import { fleetFor } from '../helpers/fleet.js';
import { runModule, type HarnessOptions } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(k3sCertificate, path.join(import.meta.dirname, 'k3s_certificate'));

const DAY = 86_400_000;
const pki = createPki();
const issued = (notAfter: Date) =>
  issueClientCert(pki.ca, 'system:admin', ['system:masters'], undefined, {
    notBefore: new Date(notAfter.getTime() - 365 * DAY),
    notAfter,
  });

describe('the client certificate of a kubeconfig', () => {
  it("reads the dates of k3s.yaml's embedded certificate", () => {
    const notAfter = new Date('2026-11-30T10:00:00Z');
    const c = kubeconfigClientCertificate(kubeconfigYaml('https://127.0.0.1:6443', pki.ca.certPem, issued(notAfter)));
    expect(c).toEqual({
      kind: 'certificate',
      subject: 'O=system:masters, CN=system:admin',
      not_before: '2025-11-30T10:00:00.000Z',
      not_after: '2026-11-30T10:00:00.000Z',
    });
  });

  it('follows current-context to its user', () => {
    const text = [
      'current-context: b',
      'contexts: [{name: a, context: {user: ua}}, {name: b, context: {user: ub}}]',
      'users: [{name: ua, user: {token: x}}, {name: ub, user: {client-certificate: /etc/k.crt}}]',
    ].join('\n');
    expect(kubeconfigClientCertificate(text)).toEqual({ kind: 'file', path: '/etc/k.crt' });
    expect(kubeconfigClientCertificate(text.replace('current-context: b', 'current-context: a')).kind).toBe('none');
  });

  it('says what it cannot read', () => {
    expect(kubeconfigClientCertificate('users: [').kind).toBe('unreadable');
    expect(certificateDates('-----BEGIN CERTIFICATE-----\nZmFrZQ==\n-----END CERTIFICATE-----\n')).toMatchObject({
      kind: 'unreadable',
      why: expect.stringMatching(/^not an X\.509 certificate/) as unknown,
    });
  });

  it('renews what has expired, or expires within the window', () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    expect(needsRenewal('2026-12-06T11:59:59Z', now, 0)).toBe(true);
    expect(needsRenewal('2026-12-20T00:00:00Z', now, 0)).toBe(false);
    expect(needsRenewal('2026-12-20T00:00:00Z', now, 14)).toBe(true);
  });
});

describe('on a k3s server (real sshd, fake k3s)', () => {
  let f: Awaited<ReturnType<typeof fleetFor>>;
  const on = (): HarnessOptions => ({ connection: f.conn('srv'), host: 'srv', nodeName: 'srv' });
  const root = () => f.fleet.node('srv').root;
  beforeAll(async () => {
    f = await fleetFor([{ name: 'srv' }]);
    await setFakeNodeName(root(), 'srv');
    // As the sandbox seeds it: the API's kubeconfig, whose certificate k3s issues at start.
    await seedKubeconfig(
      root(),
      kubeconfigYaml('https://127.0.0.1:6443', pki.ca.certPem, issued(new Date(Date.now() + 365 * DAY))),
    );
    await preinstallK3s(root(), { version: 'v1.31.4+k3s1', role: 'server', args: ['--cluster-init'] });
  }, 120_000);

  const currentNotAfter = async () => {
    const c = kubeconfigClientCertificate(await readFile(k3sNodePaths(root()).kubeconfig, 'utf8'));
    return c.kind === 'certificate' ? c.not_after : c.kind;
  };
  const backups = () =>
    readdirSync(path.join(root(), 'var/lib/rancher/k3s/server')).filter((d) => d.startsWith('tls-'));
  const systemd = async () =>
    (await readFakeSystemdLog(f.stateDir, 'srv')).map((e) => `${e.action} ${e.unit}`).filter((l) => /k3s/.test(l));

  it('a valid certificate: ok, nothing done', async () => {
    const r = await runModule(k3sCertificate, {}, on());
    expect(r.status, r.msg).toBe('ok');
    expect(r.msg).toMatch(/^client certificate valid until \d{4}-\d\d-\d\d \((364|365) days\)$/);
  });

  it('an expired one: --check changes nothing, the run rotates, the next run is ok', async () => {
    const expired = new Date(Date.now() - 6 * DAY);
    await setClientCertificateExpiry(root(), expired);
    const day = expired.toISOString().slice(0, 10);
    const before = await readFile(k3sNodePaths(root()).kubeconfig, 'utf8');
    const units = await systemd();

    const check = await runModule(k3sCertificate, {}, on(), { check: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`rotate the certificates of server srv (client certificate expired ${day})`]);
    expect(await readFile(k3sNodePaths(root()).kubeconfig, 'utf8')).toBe(before);
    expect(backups()).toEqual([]);
    expect(await systemd()).toEqual(units);

    const off = await runModule(k3sCertificate, { rotate: false }, on());
    expect(off.status).toBe('failed');
    expect(off.msg).toContain(`the client certificate expired ${day} (/etc/rancher/k3s/k3s.yaml on srv)`);
    expect(backups()).toEqual([]);

    const r = await runModule(k3sCertificate, {}, on());
    expect(r.status, r.msg).toBe('changed');
    expect((await systemd()).slice(units.length)).toEqual(['stop k3s.service', 'start k3s.service']);
    expect(backups()).toHaveLength(1);
    const renewed = await currentNotAfter();
    expect(Date.parse(renewed)).toBeGreaterThan(Date.now() + 300 * DAY);
    expect(r.data.not_after).toBe(renewed);
    expect(existsSync(k3sNodePaths(root()).clientAdminCert)).toBe(true);

    const again = await runModule(k3sCertificate, {}, on());
    expect(again.status).toBe('ok');
  });

  it('renew_days rotates one that expires within the window', async () => {
    const soon = new Date(Date.now() + 10 * DAY);
    await setClientCertificateExpiry(root(), soon);
    expect((await runModule(k3sCertificate, {}, on(), { check: true })).status).toBe('ok');
    const check = await runModule(k3sCertificate, { renew_days: 30 }, on(), { check: true });
    expect(check.changes).toEqual([
      `rotate the certificates of server srv (client certificate expires ${soon.toISOString().slice(0, 10)}, in 9 days)`,
    ]);
    expect((await runModule(k3sCertificate, { renew_days: 30 }, on())).status).toBe('changed');
    expect((await runModule(k3sCertificate, { renew_days: 30 }, on())).status).toBe('ok');
  });
});
