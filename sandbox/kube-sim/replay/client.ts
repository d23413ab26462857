// One HTTPS request to an API server, as the transcripts were recorded: a client certificate
// or a bearer token (or none, for the anonymous exchange), optionally impersonating a user,
// and the User-Agent of the recording client, since the server names field managers after it.
import { request } from 'node:https';

export type Target = {
  /** https://host:port */
  url: string;
  ca?: string;
  cert?: string;
  key?: string;
  token?: string;
  /** The recording client was Python's urllib: its managedFields entries say "Python-urllib". */
  userAgent?: string;
};

export type As = 'admin' | 'anonymous' | { impersonate: string };

export type Sent = { method: string; path: string; headers?: Record<string, string>; body?: unknown };
export type Received = { status: number; headers: Record<string, string>; body?: unknown; text: string };

/** The headers the transcripts kept. */
const KEPT = ['content-type', 'warning', 'retry-after'];

export const RECORDING_USER_AGENT = 'Python-urllib/3.12';

export function send(target: Target, req: Sent, as: As = 'admin'): Promise<Received> {
  const headers: Record<string, string> = {
    'user-agent': target.userAgent ?? RECORDING_USER_AGENT,
    accept: 'application/json',
    ...req.headers,
  };
  if (as !== 'anonymous' && target.token) headers.authorization = `Bearer ${target.token}`;
  if (typeof as === 'object') headers['impersonate-user'] = as.impersonate;
  const cert = as === 'anonymous' ? {} : { cert: target.cert, key: target.key };
  const body = req.body === undefined ? undefined : JSON.stringify(req.body);
  // Node sends a DELETE body unframed unless told its length (urllib always sends it).
  if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
  return new Promise((resolve, reject) => {
    const r = request(new URL(req.path, target.url), { method: req.method, headers, ca: target.ca, ...cert }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const kept: Record<string, string> = {};
        for (const h of KEPT) {
          const v = res.headers[h];
          if (v !== undefined) kept[h] = Array.isArray(v) ? v.join(', ') : v;
        }
        let parsed: unknown;
        try {
          parsed = text ? JSON.parse(text) : undefined;
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode ?? 0, headers: kept, body: parsed, text });
      });
    });
    r.on('error', reject);
    r.end(body);
  });
}
