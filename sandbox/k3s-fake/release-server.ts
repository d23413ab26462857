// The internet a k3s install needs, on loopback: update.k3s.io's channel server, the GitHub
// release assets of each version (the fake binary, sha256sum-<arch>.txt) and get.k3s.io's
// install script. Every request is recorded, so a test can prove that check mode fetched nothing.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildFakeK3sBinary, type BinaryOptions } from './binary.js';
import { channelCollection, computeChannels, type Channel, type ChannelOptions } from './channels.js';
import { renderInstallScript } from './install-script.js';
import { releaseAsset } from './release-assets.js';

export type K3sReleaseServerOptions = ChannelOptions & {
  versions: readonly string[];
  host?: string;
  port?: number;
  goVersion?: string;
  /** Called for each request, after it is recorded (the CLI appends them to a file). */
  onRequest?: (r: RecordedRequest) => void;
};

export type RecordedRequest = { method: string; path: string; status: number };

export type K3sReleaseServer = {
  url: string;
  /** INSTALL_K3S_CHANNEL_URL */
  channelUrl: string;
  installScriptUrl: string;
  /** GITHUB_URL of the install script: `<url>/k3s-io/k3s/releases` */
  githubUrl: string;
  channels: readonly Channel[];
  /** Every request so far, oldest first. */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  binary(version: string): Buffer;
  close(): Promise<void>;
};

type Reply = { status: number; type?: string; body?: string | Buffer; location?: string };

export async function startK3sReleaseServer(opts: K3sReleaseServerOptions): Promise<K3sReleaseServer> {
  const channels = computeChannels(opts.versions, { stable: opts.stable, latest: opts.latest, testing: opts.testing });
  const binOpts: BinaryOptions = { goVersion: opts.goVersion };
  const binaries = new Map<string, Buffer>();
  for (const v of opts.versions) binaries.set(v, await buildFakeK3sBinary(v, binOpts));
  const requests: RecordedRequest[] = [];
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  const url = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  const channelUrl = `${url}/v1-release/channels`;
  const githubUrl = `${url}/k3s-io/k3s/releases`;
  const installScript = await renderInstallScript({ githubUrl, channelUrl });

  const route = (path: string): Reply => {
    if (path === '/install.sh') return { status: 200, type: 'text/plain', body: installScript };
    if (path === '/v1-release/channels') {
      return { status: 200, type: 'application/json', body: JSON.stringify(channelCollection(channelUrl, channels)) };
    }
    const ch = /^\/v1-release\/channels\/([^/]+)$/.exec(path);
    if (ch) {
      const found = channels.find((c) => c.id === ch[1]);
      if (!found) return notFound(`channel ${ch[1]} not found`);
      return { status: 302, location: `${githubUrl}/tag/${found.latest}` };
    }
    const tag = /^\/k3s-io\/k3s\/releases\/tag\/([^/]+)$/.exec(path);
    if (tag) {
      if (!binaries.has(tag[1])) return notFound('Not Found');
      return { status: 200, type: 'text/html', body: `<html><title>Release ${tag[1]} · k3s-io/k3s</title></html>\n` };
    }
    const dl = /^\/k3s-io\/k3s\/releases\/download\/([^/]+)\/([^/]+)$/.exec(path);
    const bin = dl ? binaries.get(dl[1]) : undefined;
    const asset = dl && bin ? releaseAsset(dl[2], bin) : undefined;
    if (!asset) return notFound('Not Found');
    return { status: 200, type: 'application/octet-stream', body: asset };
  };

  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const raw = new URL(req.url ?? '/', url).pathname;
    let path = raw;
    let reply: Reply;
    try {
      path = decodeURIComponent(raw);
      reply =
        req.method === 'GET' || req.method === 'HEAD' ? route(path) : { status: 405, body: 'Method Not Allowed\n' };
    } catch {
      reply = { status: 400, body: 'Bad Request\n' };
    }
    const rec = { method: req.method ?? 'GET', path, status: reply.status };
    requests.push(rec);
    opts.onRequest?.(rec);
    const headers: Record<string, string> = { 'content-type': reply.type ?? 'text/plain' };
    if (reply.location) headers.location = reply.location;
    if (reply.body !== undefined) headers['content-length'] = String(Buffer.byteLength(reply.body));
    res.writeHead(reply.status, headers);
    res.end(req.method === 'HEAD' ? undefined : reply.body);
  });

  return {
    url,
    channelUrl,
    installScriptUrl: `${url}/install.sh`,
    githubUrl,
    channels,
    get requests() {
      return requests;
    },
    clearRequests: () => void requests.splice(0),
    binary(version: string) {
      const b = binaries.get(version);
      if (!b) throw new Error(`${version} is not served`);
      return b;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

function notFound(message: string): Reply {
  return {
    status: 404,
    type: 'application/json',
    body: JSON.stringify({ type: 'error', status: '404', code: 'NotFound', message }),
  };
}
