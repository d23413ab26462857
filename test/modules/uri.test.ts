import { writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { curlConfig, parseCurlOutput } from '../../modules/host/curl.js';
import { requestOf } from '../../modules/host/uri-common.js';
import { uri } from '../../modules/host/uri.js';
import { generateKeyPairSync } from 'node:crypto';
import forge from 'node-forge';
import { ensureTools } from '../../sandbox/k3s-fake/prerequisites.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(uri, path.join(import.meta.dirname, 'uri'));

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; body: string };

/** A real HTTP(S) server recording what it received. */
function serve(secure?: { cert: string; key: string }) {
  const seen: Seen[] = [];
  const handler: http.RequestListener = (req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/redirect') return void res.writeHead(302, { location: '/json' }).end();
      if (req.url === '/down') return void res.writeHead(503, 'Service Unavailable').end('down');
      if (req.url === '/echo')
        return void res
          .writeHead(201, { 'content-type': 'application/json', 'x-request-id': 'r-1' })
          .end(JSON.stringify({ method: req.method, body }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok' }));
    });
  };
  const server = secure ? https.createServer(secure, handler) : http.createServer(handler);
  const ready = new Promise<string>((r) =>
    server.listen(0, '127.0.0.1', () =>
      r(`${secure ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`),
    ),
  );
  return { seen, ready, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('requests and curl, pure', () => {
  it('encodes json and form bodies, basic auth, and refuses a mapping as a raw body', () => {
    const json = requestOf(
      moduleArgs(uri, {
        url: 'http://x/',
        method: 'post',
        body: { a: [1] },
        body_format: 'json',
        url_username: 'u',
        url_password: 'p',
      }),
    );
    expect(json).toMatchObject({
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Basic dTpw' },
    });
    expect(json.body?.toString()).toBe('{"a":[1]}');
    expect(
      requestOf(
        moduleArgs(uri, { url: 'http://x/', body: { a: 'b c', d: 1 }, body_format: 'form-urlencoded' }),
      ).body?.toString(),
    ).toBe('a=b+c&d=1');
    expect(() => requestOf(moduleArgs(uri, { url: 'http://x/', body: { a: 1 } }))).toThrow(/body_format: json/);
  });

  it("puts every value into curl's config with its quoting, never on the command line", () => {
    const cfg = curlConfig({
      ...requestOf(
        moduleArgs(uri, { url: 'http://x/"a"', method: 'PUT', headers: { 'X-A': 'q"\\\nz' }, body: '@/etc/passwd' }),
      ),
      validateCerts: false,
    });
    expect(cfg).toContain('url = "http://x/\\"a\\""');
    expect(cfg).toContain('header = "X-A: q\\"\\\\\\nz"');
    expect(cfg).toContain('data-raw = "@/etc/passwd"');
    expect(cfg).toContain('request = "PUT"');
    expect(cfg.split('\n')).toContain('insecure');
  });

  it('parses curl --include output after a redirect and a 100 Continue', () => {
    const out =
      'HTTP/1.1 302 Found\r\nLocation: /b\r\n\r\nHTTP/1.1 100 Continue\r\n\r\nHTTP/2 200 \r\ncontent-type: text/plain\r\nSet-Cookie: a\r\nset-cookie: b\r\n\r\nbody\n\n@@herdbook-curl@@ 1 http://x/b';
    expect(parseCurlOutput(out)).toEqual({
      status: 200,
      statusText: '',
      headers: { 'content-type': 'text/plain', 'set-cookie': 'a, b' },
      body: 'body\n',
      url: 'http://x/b',
      redirected: true,
    });
  });
});

describe('uri from the controller', () => {
  const s = serve();
  let base: string;
  beforeAll(async () => (base = await s.ready));
  afterAll(() => s.close());
  const tmp = localTemp('uri');
  const opts = () => ({ connection: tmp.connection });

  it('GET is a read: the same in check mode, JSON parsed, redirects followed', async () => {
    for (const check of [true, false]) {
      const r = await runModule(uri, { url: `${base}/redirect`, return_content: true }, opts(), { check });
      expect(r.status).toBe('ok');
      expect(r.data).toMatchObject({
        status: 200,
        redirected: true,
        url: `${base}/json`,
        json: { status: 'ok' },
        content: '{"status":"ok"}',
        content_type: 'application/json',
      });
    }
  });

  it('a wrong status fails, and a refused connection is status -1', async () => {
    const down = await runModule(uri, { url: `${base}/down` }, opts());
    expect(down.status).toBe('failed');
    expect(down.msg).toBe('Status code was 503 and not [200]: HTTP Error 503: Service Unavailable');
    const refused = await runModule(uri, { url: 'http://127.0.0.1:1/', timeout: 5 }, opts());
    expect(refused.data.status).toBe(-1);
    expect(refused.msg).toMatch(/^Status code was -1 and not \[200\]: Request failed: .*ECONNREFUSED/);
  });

  it('POST: unknown in check mode and nothing sent; sent once for real, a change', async () => {
    const before = s.seen.length;
    const args = {
      url: `${base}/echo`,
      method: 'POST',
      body: { node: 'pi-1' },
      body_format: 'json',
      status_code: 201,
      headers: { 'X-Token': 't' },
    };
    const check = await runModule(uri, args, opts(), { check: true });
    expect(check.status).toBe('unknown');
    expect(check.data).toMatchObject({ status: null, json: null });
    expect(s.seen.length).toBe(before);
    const r = await runModule(uri, args, opts());
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({
      status: 201,
      json: { method: 'POST', body: '{"node":"pi-1"}' },
      x_request_id: 'r-1',
    });
    expect(s.seen.slice(before)).toHaveLength(1);
    expect(s.seen[s.seen.length - 1].headers).toMatchObject({ 'content-type': 'application/json', 'x-token': 't' });
  });
});

/** A self-signed certificate for 127.0.0.1 (its own CA). */
function selfSigned(): { cert: string; key: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 3600_000);
  cert.validity.notAfter = new Date(Date.now() + 86400_000);
  const name = [{ name: 'commonName', value: 'herdbook-uri-test' }];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true },
    { name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] },
  ]);
  cert.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key };
}

describe('uri over HTTPS from the controller', () => {
  const tls = selfSigned();
  const s = serve(tls);
  let base: string;
  beforeAll(async () => (base = await s.ready));
  afterAll(() => s.close());
  const tmp = localTemp('uri-tls');

  it('checks certificates unless told not to, and trusts a given CA', async () => {
    const strict = await runModule(uri, { url: `${base}/json` }, { connection: tmp.connection });
    expect(strict.status).toBe('failed');
    expect(strict.msg).toMatch(/certificate/i);
    expect(
      (await runModule(uri, { url: `${base}/json`, validate_certs: false }, { connection: tmp.connection })).status,
    ).toBe('ok');
    const ca = tmp.at('ca.pem');
    writeFileSync(ca, tls.cert);
    expect(
      (await runModule(uri, { url: `${base}/json`, ca_path: ca }, { connection: tmp.connection })).data.status,
    ).toBe(200);
  });
});

describe('uri from the host (curl over real sshd)', () => {
  beforeAll(() => ensureTools([{ file: '/usr/bin/curl', pkg: 'curl' }]), 600_000);
  const h = fleetHost('uri-node');
  const s = serve();
  let base: string;
  beforeAll(async () => (base = await s.ready));
  afterAll(() => s.close());

  it('sends a GET and a POST from the node, body and headers intact', async () => {
    const get = await runModule(
      uri,
      { url: `${base}/redirect`, on: 'host' },
      { connection: h.connection },
      { check: true },
    );
    expect(get.status).toBe('ok');
    expect(get.data).toMatchObject({ status: 200, redirected: true, url: `${base}/json`, json: { status: 'ok' } });
    const body = `it's "quoted" $(id) \`x\` \\ ; @file`;
    const post = await runModule(
      uri,
      {
        url: `${base}/echo`,
        method: 'PUT',
        body,
        status_code: [201],
        headers: { 'X-Odd': `a'b"c` },
        on: 'host',
        url_username: 'admin',
        url_password: 's3cret',
      },
      { connection: h.connection },
    );
    expect(post.status).toBe('changed');
    expect(post.data).toMatchObject({ status: 201, json: { method: 'PUT', body } });
    const got = s.seen[s.seen.length - 1];
    expect(got.headers).toMatchObject({
      'x-odd': `a'b"c`,
      authorization: `Basic ${Buffer.from('admin:s3cret').toString('base64')}`,
    });
    const down = await runModule(uri, { url: `${base}/down`, on: 'host' }, { connection: h.connection });
    expect(down.msg).toBe('Status code was 503 and not [200]: HTTP Error 503: Service Unavailable');
  });
});
