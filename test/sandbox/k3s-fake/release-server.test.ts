import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseServerFiles, serveReleaseServer, type ServeInfo } from '../../../sandbox/k3s-fake/serve.js';
import { startK3sReleaseServer, type K3sReleaseServer } from '../../../sandbox/k3s-fake/release-server.js';
import { testStateDir } from './helpers.js';

const VERSIONS = ['v1.28.15+k3s1', 'v1.29.9+k3s1', 'v1.29.10+k3s1', 'v1.30.6+k3s1', 'v1.31.4+k3s1'];
let srv: K3sReleaseServer;
const stateDir = testStateDir();

beforeAll(async () => {
  srv = await startK3sReleaseServer({ versions: VERSIONS, stable: 'v1.30.6+k3s1' });
});
afterAll(() => srv.close());

const get = (path: string) => fetch(`${srv.url}${path}`, { redirect: 'manual' });
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

describe('the channel server', () => {
  it('lists stable, latest, testing and one channel per minor with its newest patch', async () => {
    const res = await get('/v1-release/channels');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { data: { id: string; latest: string; links: { self: string } }[] };
    expect(body.data.map((c) => `${c.id}=${c.latest}`)).toEqual([
      'stable=v1.30.6+k3s1',
      'latest=v1.31.4+k3s1',
      'testing=v1.31.4+k3s1',
      'v1.28=v1.28.15+k3s1',
      'v1.29=v1.29.10+k3s1',
      'v1.30=v1.30.6+k3s1',
      'v1.31=v1.31.4+k3s1',
    ]);
    expect(body.data[4].links.self).toBe(`${srv.channelUrl}/v1.29`);
  });

  it.each([
    ['stable', 'v1.30.6+k3s1'],
    ['v1.29', 'v1.29.10+k3s1'],
    ['latest', 'v1.31.4+k3s1'],
  ])('redirects channel %s to the release tag %s', async (id, tag) => {
    const res = await get(`/v1-release/channels/${id}`);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(`${srv.url}/k3s-io/k3s/releases/tag/${tag}`);
  });

  it('answers 404 for an unknown channel', async () => {
    const res = await get('/v1-release/channels/v1.99');
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', status: '404' });
  });
});

describe('release assets', () => {
  it('serves each version as a binary with that version baked in, matching sha256sum-amd64.txt', async () => {
    const bin = Buffer.from(await (await get('/k3s-io/k3s/releases/download/v1.29.10+k3s1/k3s')).arrayBuffer());
    expect(bin.toString()).toContain("K3S_VERSION='v1.29.10+k3s1'");
    const sums = await (await get('/k3s-io/k3s/releases/download/v1.29.10+k3s1/sha256sum-amd64.txt')).text();
    expect(sums.split('\n')[0]).toBe(`${sha256(bin)}  k3s`);
    expect(sums).toMatch(/^[0-9a-f]{64} {2}k3s-airgap-images-amd64\.tar$/m);
    const other = Buffer.from(await (await get('/k3s-io/k3s/releases/download/v1.30.6+k3s1/k3s')).arrayBuffer());
    expect(sha256(other)).not.toBe(sha256(bin));
  });

  it('names the binary per architecture in the other sha256sum files', async () => {
    const arm64 = await (await get('/k3s-io/k3s/releases/download/v1.31.4+k3s1/sha256sum-arm64.txt')).text();
    expect(arm64).toMatch(/^[0-9a-f]{64} {2}k3s-arm64$/m);
    expect((await get('/k3s-io/k3s/releases/download/v1.31.4+k3s1/k3s-armhf')).status).toBe(200);
  });

  it('answers 404 for versions and assets it does not have', async () => {
    expect((await get('/k3s-io/k3s/releases/download/v1.27.1+k3s1/k3s')).status).toBe(404);
    expect((await get('/k3s-io/k3s/releases/download/v1.31.4+k3s1/k3s.exe')).status).toBe(404);
  });

  it('serves an install script pointed at itself', async () => {
    const script = await (await get('/install.sh')).text();
    expect(script).toContain(`GITHUB_URL=\${GITHUB_URL:-${srv.githubUrl}}`);
    expect(script).toContain(`DEFAULT_CHANNEL_URL=${srv.channelUrl}`);
    expect(script).not.toContain('github.com');
  });

  it('records every request, in order, bad ones included', async () => {
    srv.clearRequests();
    await get('/v1-release/channels/stable');
    await get('/nope');
    await get('/k3s-io/k3s/releases/download/%E0%A4%A/k3s');
    expect(srv.requests).toEqual([
      { method: 'GET', path: '/v1-release/channels/stable', status: 302 },
      { method: 'GET', path: '/nope', status: 404 },
      { method: 'GET', path: '/k3s-io/k3s/releases/download/%E0%A4%A/k3s', status: 400 },
    ]);
  });
});

describe('serveReleaseServer (the CLI body)', () => {
  it('writes pid and URL files, logs requests, and removes the files when stopped', async () => {
    const files = releaseServerFiles(stateDir);
    const stop = new AbortController();
    let ready!: (info: ServeInfo) => void;
    const started = new Promise<ServeInfo>((resolve) => (ready = resolve));
    const done = serveReleaseServer(stateDir, { versions: ['v1.31.4+k3s1'] }, stop.signal, (_s, info) => ready(info));
    const info = await started;
    expect(JSON.parse(await readFile(files.infoFile, 'utf8'))).toMatchObject({ url: info.url, pid: process.pid });
    expect((await readFile(files.pidFile, 'utf8')).trim()).toBe(String(process.pid));
    await fetch(`${info.channelUrl}/stable`, { redirect: 'manual' });
    expect(await readFile(files.requestLog, 'utf8')).toBe(
      '{"method":"GET","path":"/v1-release/channels/stable","status":302}\n',
    );
    stop.abort();
    await done;
    await expect(readFile(files.pidFile)).rejects.toThrow(/ENOENT/);
  });
});
