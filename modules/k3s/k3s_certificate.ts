// k3s_certificate: the client certificate in a server's /etc/rancher/k3s/k3s.yaml, renewed when
// it has expired or expires within `renew_days` (shared/seeds/001): stop k3s, `k3s certificate
// rotate` (it deletes the certificates; pkg/cli/cert/cert.go), start k3s, which issues new ones
// and writes k3s.yaml again. The dates are read on the controller (node's X509Certificate), so
// the node needs no openssl. With `rotate: false` an expiring certificate is refused, by date.
import { defineModule, ModuleError } from '../../engine/index-module.js';
import type { ModuleContext } from '../../engine/module.js';
import {
  certificateDates,
  day,
  daysUntil,
  kubeconfigClientCertificate,
  needsRenewal,
  type ClientCertificate,
} from './client-certificate.js';
import { probeK3s } from './facts.js';

type Args = { kubeconfig: string; renew_days: number; rotate: boolean; wait_timeout: number };
type State = {
  host: string;
  now: number;
  exists: boolean;
  cert: ClientCertificate;
  role?: 'server' | 'agent';
  service?: string;
};
type Change = { summary: string };

async function readText(ctx: ModuleContext, path: string): Promise<string | undefined> {
  const r = await ctx.exec(['cat', '--', path], { become: true, idempotent: true });
  return r.rc === 0 ? r.stdout : undefined;
}

async function readCertificate(ctx: ModuleContext, kubeconfig: string): Promise<ClientCertificate | undefined> {
  const text = await readText(ctx, kubeconfig);
  if (text === undefined) return undefined;
  const cert = kubeconfigClientCertificate(text);
  if (cert.kind !== 'file') return cert;
  const pem = await readText(ctx, cert.path);
  return pem === undefined ? { kind: 'unreadable', why: `cannot read ${cert.path}` } : certificateDates(pem);
}

function expiry(notAfter: string, now: number): string {
  const days = daysUntil(notAfter, now);
  return now >= Date.parse(notAfter)
    ? `client certificate expired ${day(notAfter)}`
    : `client certificate expires ${day(notAfter)}, in ${days} day${days === 1 ? '' : 's'}`;
}

export const k3sCertificate = defineModule<Args, State, Change>({
  name: 'k3s_certificate',
  schema: 'k3s_certificate',
  runsOn: 'host',
  predictable: true,
  async inspect(ctx, args) {
    const [cert, facts] = await Promise.all([readCertificate(ctx, args.kubeconfig), probeK3s(ctx)]);
    return {
      host: ctx.host,
      now: ctx.wallTime(),
      exists: cert !== undefined,
      cert: cert ?? { kind: 'none', why: 'missing' },
      ...(facts.role ? { role: facts.role, service: facts.service } : {}),
    };
  },
  plan(s, a) {
    if (!s.exists)
      return {
        changes: [],
        refuse: `${a.kubeconfig} does not exist on ${s.host}: is k3s installed there as a server?`,
      };
    const c = s.cert;
    if (c.kind === 'unreadable' || c.kind === 'file')
      return {
        changes: [],
        refuse: `cannot read the client certificate of ${a.kubeconfig} on ${s.host}: ${c.kind === 'file' ? c.path : c.why}`,
      };
    if (c.kind === 'none') return { changes: [], noop: `${a.kubeconfig}: ${c.why}; nothing expires` };
    const data = { not_after: c.not_after, not_before: c.not_before, days_left: daysUntil(c.not_after, s.now) };
    if (!needsRenewal(c.not_after, s.now, a.renew_days))
      return { changes: [], noop: `client certificate valid until ${day(c.not_after)} (${data.days_left} days)`, data };
    const why = expiry(c.not_after, s.now);
    if (!a.rotate)
      return {
        changes: [],
        data,
        refuse: `the ${why} (${a.kubeconfig} on ${s.host}) and rotation is off: run again with rotation on, or rotate by hand (systemctl stop k3s; k3s certificate rotate; systemctl start k3s)`,
      };
    if (s.role !== 'server' || !s.service)
      return {
        changes: [],
        data,
        refuse: `the ${why}, but ${s.host} has no k3s server unit to restart: rotate it where k3s runs`,
      };
    return { changes: [{ summary: `rotate the certificates of server ${s.host} (${why})` }], data };
  },
  async apply(ctx, a, _plan, s) {
    const service = s.service!;
    const run = async (argv: string[], what: string) => {
      const r = await ctx.exec(argv, { become: true });
      if (r.rc !== 0)
        throw new ModuleError(`${what} failed (exit ${r.rc}): ${r.stderr.trim().split('\n').pop() ?? ''}`);
    };
    await run(['systemctl', 'stop', service], `systemctl stop ${service}`);
    try {
      await run(['k3s', 'certificate', 'rotate'], 'k3s certificate rotate');
    } finally {
      // Whatever rotate did, k3s is not left stopped.
      await run(['systemctl', 'start', service], `systemctl start ${service}`);
    }
    // k3s writes k3s.yaml with the new certificate while it starts: wait for it.
    const deadline = ctx.now() + a.wait_timeout * 1000;
    for (;;) {
      const cert = await readCertificate(ctx, a.kubeconfig);
      if (cert?.kind === 'certificate' && !needsRenewal(cert.not_after, ctx.wallTime(), a.renew_days))
        return {
          data: {
            not_after: cert.not_after,
            not_before: cert.not_before,
            days_left: daysUntil(cert.not_after, ctx.wallTime()),
          },
        };
      if (ctx.now() >= deadline)
        return {
          failed: `k3s was restarted after the rotation, but ${a.kubeconfig} still holds ${
            cert?.kind === 'certificate'
              ? `a certificate valid until ${day(cert.not_after)}`
              : 'no readable certificate'
          } after ${a.wait_timeout}s: see journalctl -u ${service}`,
        };
      await ctx.sleep(1000);
    }
  },
});
