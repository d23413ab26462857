// get_url against a real loopback HTTP server (node:http) from a real sshd fleet node: curl,
// wget (curl hidden from PATH) and the controller fallback (both hidden); checksum forms, basic
// auth and headers that never reach a command line, redirects, If-Modified-Since, a 404.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from '../../engine/connection/types.js';
import { digestFromFile, parseChecksum, urlFilename } from '../../modules/host/get-url-checksum.js';
import { getUrl } from '../../modules/host/get_url.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { recordingConnection } from '../helpers/recording-connection.js';
import { fleetHost } from './host-helpers.js';

planFixtures(getUrl, path.join(import.meta.dirname, 'get_url'));

const sha = (b: Buffer | string, a = 'sha256') => createHash(a).update(b).digest('hex');

describe('checksum argument and checksum files, as Ansible reads them', () => {
  it('parses <algorithm>:<digest> (cleaned like Ansible) and <algorithm>:<URL>', () => {
    expect(parseChecksum('')).toBeUndefined();
    expect(parseChecksum('sha256:AB\u200bCD')).toEqual({ algorithm: 'sha256', digest: 'abcd' });
    expect(parseChecksum('sha1:https://x/sums')).toEqual({ algorithm: 'sha1', url: 'https://x/sums' });
    expect(() => parseChecksum('abcd')).toThrow('The checksum parameter has to be in format <algorithm>:<checksum>');
    expect(() => parseChecksum('sha256:xyz')).toThrow('The checksum format is invalid');
    expect(() => parseChecksum('crc:12')).toThrow(/unsupported checksum algorithm crc/);
  });

  it("finds the URL's file name in sha256sum output (text and binary marks, ./ prefixes), or takes a lone digest", () => {
    const sums = `${'a'.repeat(64)}  k3s-arm64\n${'b'.repeat(64)} *./k3s\n`;
    expect(digestFromFile(sums, 'k3s', 'u')).toBe('b'.repeat(64));
    expect(digestFromFile(sums, 'k3s-arm64', 'u')).toBe('a'.repeat(64));
    expect(digestFromFile(`${'C'.repeat(64)}\n`, 'any', 'u')).toBe('c'.repeat(64));
    expect(() => digestFromFile(sums, 'k3s-armhf', 'https://x/sums')).toThrow(
      "Unable to find a checksum for file 'k3s-armhf' in 'https://x/sums'",
    );
    expect(urlFilename('https://github.com/k3s-io/k3s/releases/download/v1.32.5%2Bk3s1/k3s?x=1')).toBe('k3s');
    expect(urlFilename('http://h/')).toBe('index.html');
  });
});

type Hit = { url: string; headers: http.IncomingHttpHeaders };

/** The test's HTTP server: files with Last-Modified, a checksum file, basic auth, redirects, a 404. */
function loopbackServer() {
  const s = {
    hits: [] as Hit[],
    base: '',
    files: new Map<string, { body: Buffer; mtime: number; type?: string; disposition?: string }>(),
  };
  const server = http.createServer((req, res) => {
    s.hits.push({ url: req.url ?? '', headers: req.headers });
    const url = req.url ?? '/';
    if (url === '/old-k3s') {
      res.writeHead(302, { Location: '/k3s' }).end();
      return;
    }
    if (url.startsWith('/private/')) {
      const want = `Basic ${Buffer.from('pi:s3cret pass').toString('base64')}`;
      if (req.headers.authorization !== want || req.headers['x-token'] !== 'tok-123') {
        res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="r"' }).end('no');
        return;
      }
    }
    const f = s.files.get(url.replace(/^\/private/, ''));
    if (!f) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not here');
      return;
    }
    const ims = req.headers['if-modified-since'];
    if (ims && Date.parse(ims) >= f.mtime * 1000) {
      res.writeHead(304).end();
      return;
    }
    res.writeHead(200, {
      'Content-Type': f.type ?? 'application/octet-stream',
      'Last-Modified': new Date(f.mtime * 1000).toUTCString(),
      ...(f.disposition ? { 'Content-Disposition': f.disposition } : {}),
    });
    res.end(f.body);
  });
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    s.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  return s;
}

/** A PATH with everything in the usual bin directories except `hide`: the host "has no" curl (or wget). */
function pathWithout(hide: string[]): string {
  const dir = path.join(os.tmpdir(), `hb-getu-path-${process.pid}-${hide.join('-')}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const d of ['/usr/local/sbin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])
    for (const f of existsSync(d) ? readdirSync(d) : [])
      if (!hide.includes(f) && !existsSync(path.join(dir, f))) symlinkSync(path.join(d, f), path.join(dir, f));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function withPath(conn: Connection, PATH: string): Connection {
  return {
    host: conn.host,
    kind: conn.kind,
    exec: (cmd, opts = {}) => conn.exec(cmd, { ...opts, env: { ...opts.env, PATH } }),
    put: (data, dest, opts) => conn.put(data, dest, opts),
    get: (src, opts) => conn.get(src, opts),
    close: async () => undefined,
  };
}

describe('get_url over real sshd from a loopback HTTP server', () => {
  const h = fleetHost('get-url-node');
  const srv = loopbackServer();
  const k3s = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from('k3s binary v1.32.5\n')]);
  const arm = Buffer.from('k3s for arm64\n');
  const tmpDest = '/var/lib/rancher/get-url-tmp';
  beforeAll(() => {
    const now = Math.floor(Date.now() / 1000) - 100;
    srv.files.set('/k3s', { body: k3s, mtime: now });
    srv.files.set('/k3s-arm64', { body: arm, mtime: now });
    srv.files.set('/sha256sum.txt', { body: Buffer.from(`${sha(arm)}  k3s-arm64\n${sha(k3s)} *k3s\n`), mtime: now });
    srv.files.set('/download?id=7', { body: arm, mtime: now, disposition: 'attachment; filename="tool.tar.gz"' });
    mkdirSync(h.local(tmpDest), { recursive: true, mode: 0o700 });
  });
  const leftovers = () => readdirSync(h.local(tmpDest));

  it('check mode reports the download and writes nothing; the run writes it; the second run changes nothing', async () => {
    const dest = '/usr/local/bin/k3s';
    const args = { url: `${srv.base}/k3s`, dest, mode: '0755', tmp_dest: tmpDest };
    const check = await runModule(getUrl, args, { connection: h.connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`download ${srv.base}/k3s to ${dest} (${k3s.length} bytes, mode 0755)`]);
    expect(existsSync(h.local(dest))).toBe(false);
    expect(leftovers()).toEqual([]);
    const r = await runModule(getUrl, args, { connection: h.connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(h.local(dest))).toEqual(k3s);
    expect(statSync(h.local(dest)).mode & 0o777).toBe(0o755);
    expect(r.data).toMatchObject({
      dest,
      status_code: 200,
      checksum_src: sha(k3s, 'sha1'),
      checksum_dest: null,
      mode: '0755',
    });
    expect(leftovers()).toEqual([]);
    // The second run asks If-Modified-Since dest's mtime: the server answers 304.
    const again = await runModule(getUrl, args, { connection: h.connection });
    expect(again.status).toBe('ok');
    expect(srv.hits[srv.hits.length - 1].headers['if-modified-since']).toBeDefined();
    // Check mode on a drifted host tells the truth (Ansible's HEAD would say changed for any existing dest).
    writeFileSync(h.local(dest), 'drifted');
    const drift = await runModule(getUrl, { ...args, force: true }, { connection: h.connection }, { check: true });
    expect(drift.changes).toEqual([
      `replace ${dest} with ${srv.base}/k3s (${k3s.length} bytes, mode 0755, content differs)`,
    ]);
    expect(readFileSync(h.local(dest), 'utf8')).toBe('drifted');
    const same = await runModule(getUrl, { ...args, force: true }, { connection: h.connection });
    expect(same.status).toBe('changed');
    const noDrift = await runModule(getUrl, { ...args, force: true }, { connection: h.connection }, { check: true });
    expect(noDrift.status).toBe('ok');
    expect(leftovers()).toEqual([]);
  });

  it('checksum from a sha256sum file: matching dest is not downloaded again; a wrong one fails and leaves dest', async () => {
    const dest = '/var/lib/rancher/k3s-arm64';
    const args = { url: `${srv.base}/k3s-arm64`, dest, checksum: `sha256:${srv.base}/sha256sum.txt` };
    expect((await runModule(getUrl, args, { connection: h.connection })).status).toBe('changed');
    expect(readFileSync(h.local(dest))).toEqual(arm);
    const before = srv.hits.length;
    const again = await runModule(getUrl, args, { connection: h.connection });
    expect(again.status).toBe('ok');
    // Only the checksum file was fetched.
    expect(srv.hits.slice(before).map((x) => x.url)).toEqual(['/sha256sum.txt']);
    const wrong = await runModule(
      getUrl,
      { url: `${srv.base}/k3s`, dest, checksum: `sha256:${sha('other')}` },
      { connection: h.connection },
    );
    expect(wrong.status).toBe('failed');
    expect(wrong.msg).toContain(`The checksum for ${dest} did not match ${sha('other')}; it was ${sha(k3s)}`);
    expect(readFileSync(h.local(dest))).toEqual(arm);
  });

  it('sends credentials and headers on stdin or in a 0600 file, never on a command line', async () => {
    const rec = recordingConnection(h.connection);
    const dest = '/var/lib/rancher/private-k3s';
    const args = {
      url: `${srv.base}/private/k3s`,
      dest,
      url_username: 'pi',
      url_password: 's3cret pass',
      headers: { 'X-Token': 'tok-123' },
    };
    const r = await runModule(getUrl, args, { connection: rec.conn });
    expect(r.status).toBe('changed');
    expect(readFileSync(h.local(dest))).toEqual(k3s);
    const words = rec.commandLineWords().join('\n');
    expect(words).not.toContain('s3cret');
    expect(words).not.toContain('tok-123');
    const denied = await runModule(getUrl, { ...args, url_password: 'wrong' }, { connection: h.connection });
    expect(denied.status).toBe('failed');
    expect(denied.msg).toBe(`Request failed: HTTP Error 401: Unauthorized (${srv.base}/private/k3s)`);
  });

  it('follows redirects, names a download in a directory like Ansible, and fails on a 404', async () => {
    const dir = '/var/lib/rancher/dl';
    mkdirSync(h.local(dir), { recursive: true });
    const moved = await runModule(getUrl, { url: `${srv.base}/old-k3s`, dest: dir }, { connection: h.connection });
    expect(moved.data.dest).toBe(`${dir}/k3s`);
    expect(readFileSync(h.local(`${dir}/k3s`))).toEqual(k3s);
    const named = await runModule(
      getUrl,
      { url: `${srv.base}/download?id=7`, dest: dir },
      { connection: h.connection },
    );
    expect(named.data.dest).toBe(`${dir}/tool.tar.gz`);
    const missing = await runModule(
      getUrl,
      { url: `${srv.base}/nope`, dest: `${dir}/x` },
      { connection: h.connection },
    );
    expect(missing).toMatchObject({
      status: 'failed',
      msg: `Request failed: HTTP Error 404: Not Found (${srv.base}/nope)`,
    });
    expect(existsSync(h.local(`${dir}/x`))).toBe(false);
  });

  it.each([
    ['wget', ['curl']],
    ['the controller', ['curl', 'wget']],
  ])('downloads with %s when the host lacks the others, the same way', async (_via, hide) => {
    const conn = recordingConnection(withPath(h.connection, pathWithout(hide)));
    const dest = `/var/lib/rancher/via-${hide.length}`;
    const args = {
      url: `${srv.base}/private/k3s`,
      dest,
      url_username: 'pi',
      url_password: 's3cret pass',
      headers: { 'X-Token': 'tok-123' },
      checksum: `sha256:${sha(k3s)}`,
      tmp_dest: tmpDest,
    };
    const check = await runModule(getUrl, args, { connection: conn.conn }, { check: true });
    expect(check.status, check.msg).toBe('changed');
    expect(existsSync(h.local(dest))).toBe(false);
    const r = await runModule(getUrl, args, { connection: conn.conn });
    expect(r.status).toBe('changed');
    expect(readFileSync(h.local(dest))).toEqual(k3s);
    expect((await runModule(getUrl, args, { connection: conn.conn })).status).toBe('ok');
    expect(conn.commandLineWords().join('\n')).not.toMatch(/s3cret|tok-123/);
    expect(conn.calls.some((c) => c.cmd[0] === 'curl')).toBe(false);
    expect(conn.calls.some((c) => c.cmd[0] === 'wget')).toBe(hide.length === 1);
    expect(leftovers()).toEqual([]);
  });
});
