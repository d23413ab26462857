// The admin surface's own HTTPS server on a free loopback port: kube-apiserver owns its port,
// so /__sim cannot live beside /api as it does in kube-sim. Same credentials as kube-sim's:
// the admin token, or a client certificate from the cluster's CA in group system:masters.
import { timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { statusBody } from '../kube-sim/api/status.js';
import { adminRoute, type AdminTarget } from './admin.js';

export type AdminServer = { url: string; close(): Promise<void> };

export type AdminServerOptions = {
  kube: AdminTarget;
  caPem: string;
  serving: { certPem: string; keyPem: string };
  token: string;
};

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** 'admin', 'other' (authenticated, not an admin) or undefined (not authenticated). */
function whoIs(socket: TLSSocket, authorization: string | undefined, token: string): 'admin' | 'other' | undefined {
  // A resumed TLS 1.3 session counts as authorized with no certificate at all: only a subject says who.
  const subject = socket.authorized ? socket.getPeerCertificate()?.subject : undefined;
  if (subject?.CN) return ([] as string[]).concat(subject.O ?? []).includes('system:masters') ? 'admin' : 'other';
  const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return m && sameToken(m[1], token) ? 'admin' : undefined;
}

export function startAdminServer(o: AdminServerOptions): Promise<AdminServer> {
  const server: Server = createServer(
    { key: o.serving.keyPem, cert: o.serving.certPem, ca: o.caPem, requestCert: true, rejectUnauthorized: false },
    (req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const send = (code: number, b: unknown) => {
          res.writeHead(code, { 'Content-Type': 'application/json' });
          res.end(JSON.stringify(b));
        };
        const url = new URL(req.url ?? '/', 'https://127.0.0.1');
        if (!url.pathname.startsWith('/__sim/'))
          return send(404, statusBody(404, 'the server could not find the requested resource', 'NotFound'));
        const who = whoIs(req.socket as TLSSocket, req.headers.authorization, o.token);
        if (!who) return send(401, statusBody(401, 'Unauthorized', 'Unauthorized'));
        if (who !== 'admin')
          return send(
            403,
            statusBody(403, "forbidden: only an admin may use the sandbox's admin surface", 'Forbidden'),
          );
        void adminRoute(o.kube, req.method ?? 'GET', url, body).then((a) => send(a.code, a.body));
      });
    },
  );
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `https://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}
