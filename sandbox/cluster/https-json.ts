// One HTTPS request with a JSON body and answer, for admin surfaces outside /api (kube-sim's
// /__sim, real-kube's on its own port): a bearer token or a client certificate, the cluster's CA.
import https from 'node:https';

export type JsonAnswer = { status: number; json: unknown };

export type JsonRequest = {
  method?: string;
  ca: string;
  token?: string;
  cert?: { certPem: string; keyPem: string };
  body?: unknown;
  agent?: https.Agent;
};

export function fetchJson(url: string, o: JsonRequest): Promise<JsonAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    const req = https.request(
      url,
      { method: o.method ?? 'GET', ca: o.ca, headers, agent: o.agent, cert: o.cert?.certPem, key: o.cert?.keyPem },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, json: body ? JSON.parse(body) : undefined });
          } catch (e) {
            reject(e);
          }
        });
      },
    );
    req.on('error', reject);
    req.end(o.body === undefined ? undefined : JSON.stringify(o.body));
  });
}
