// Plain HTTPS GETs with a kubeconfig's credentials: the tests read objects as the server sends
// them (JSON, times as strings), the same way from kube-sim and from a real API server.
import https from 'node:https';
import { parse } from 'yaml';

type Kubeconfig = {
  clusters: { cluster: { server: string; 'certificate-authority-data': string } }[];
  users: { user: { 'client-certificate-data'?: string; 'client-key-data'?: string; token?: string } }[];
};

export type RawReply = { status: number; headers: Record<string, string | string[] | undefined>; body: unknown };
export type RawClient = { get(path: string): Promise<RawReply>; post(path: string, body: unknown): Promise<RawReply> };

const unb64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : undefined);

export function rawClient(kubeconfigYaml: string): RawClient {
  const kc = parse(kubeconfigYaml) as Kubeconfig;
  const { server, 'certificate-authority-data': ca } = kc.clusters[0].cluster;
  const u = kc.users[0].user;
  const agent = new https.Agent({
    ca: unb64(ca),
    cert: unb64(u['client-certificate-data']),
    key: unb64(u['client-key-data']),
    keepAlive: true,
  });
  const request = (method: string, path: string, body?: unknown) =>
    new Promise<RawReply>((resolve, reject) => {
      const headers: Record<string, string> = {
        accept: 'application/json',
        'content-type': 'application/json',
        ...(u.token ? { authorization: `Bearer ${u.token}` } : {}),
      };
      const req = https.request(`${server}${path}`, { method, agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text ? JSON.parse(text) : undefined });
        });
      });
      req.on('error', reject);
      req.end(body === undefined ? undefined : JSON.stringify(body));
    });
  return { get: (path) => request('GET', path), post: (path, body) => request('POST', path, body) };
}
