// real-kube's admin surface (kube-sim's /__sim on a port of its own): who may use it, and that
// it answers as kube-sim does. No control plane needed: the target is a stand-in.
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPki, issueClientCert } from '../../../sandbox/kube-sim/server/pki.js';
import type { AdminTarget } from '../../../sandbox/real-kube/admin.js';
import { startAdminServer, type AdminServer } from '../../../sandbox/real-kube/admin-server.js';
import type { AuditRecord } from '../../../sandbox/real-kube/audit.js';
import { fetchJson, type JsonRequest } from '../../../sandbox/cluster/https-json.js';

const pki = createPki({ dns: ['localhost'], ips: ['127.0.0.1'] });
const viewer = issueClientCert(pki.ca, 'viewer', []);

const call = (server: AdminServer, method: string, path: string, o: Omit<JsonRequest, 'method' | 'ca'> = {}) =>
  fetchJson(`${server.url}${path}`, { method, ca: pki.ca.certPem, ...o });

const write: AuditRecord = {
  verb: 'patch',
  method: 'PATCH',
  path: '/api/v1/nodes/a-1?fieldManager=herdbook',
  user: 'system:admin',
  status: 200,
  time: '2026-01-01T00:00:00Z',
};

function standIn() {
  const calls: string[] = [];
  const state = { reachable: true, ready: true, version: 'v1.31.4+k3s1', keepUnreachableTaint: false, manual: false };
  const target: AdminTarget = {
    requests: async () => [
      { verb: 'get', method: 'GET', path: '/api/v1/nodes', user: 'system:admin', status: 200 },
      write,
    ],
    mutatingRequests: async () => [write],
    clearRequests: async () => void calls.push('clear'),
    nodeNames: () => ['a-1'],
    kubelet: (name) => (name === 'a-1' ? { ...state } : undefined),
    setNode: (name, change) => {
      calls.push(`set ${name} ${JSON.stringify(change)}`);
      return { ...state, ...(change.ready === undefined ? {} : { ready: change.ready }), manual: true };
    },
    releaseNode: (name) => void calls.push(`release ${name}`),
    setPodReady: async (ns, name, ready) => void calls.push(`pod ${ns}/${name} ${ready}`),
    apply: async (s) => void calls.push(`apply ${JSON.stringify(s)}`),
    pauseControllerManager: (paused) => void calls.push(`pause ${paused}`),
  };
  return { target, calls };
}

describe('real-kube admin surface', () => {
  const { target, calls } = standIn();
  let server: AdminServer;
  beforeAll(async () => {
    server = await startAdminServer({ kube: target, caPem: pki.ca.certPem, serving: pki.server, token: 'secret' });
  });
  afterAll(() => server.close());

  it('takes the admin token or an admin certificate; refuses others', async () => {
    expect((await call(server, 'GET', '/__sim/health', { token: 'secret' })).status).toBe(200);
    expect((await call(server, 'GET', '/__sim/health', { cert: pki.admin })).status).toBe(200);
    expect((await call(server, 'GET', '/__sim/health')).status).toBe(401);
    expect((await call(server, 'GET', '/__sim/health', { token: 'wrong' })).status).toBe(401);
    expect((await call(server, 'GET', '/__sim/health', { cert: viewer })).status).toBe(403);
  });

  it('takes the token on a resumed TLS session, which Node calls authorized without a certificate', async () => {
    // keepAlive off: the second request opens a new connection that resumes the first one's session.
    const agent = new https.Agent({ keepAlive: false, maxCachedSessions: 10 });
    expect((await call(server, 'GET', '/__sim/health', { token: 'secret', agent })).status).toBe(200);
    expect((await call(server, 'GET', '/__sim/health', { token: 'secret', agent })).status).toBe(200);
    agent.destroy();
  });

  it("lists the admin's requests as kube-sim's request log does", async () => {
    const all = (await call(server, 'GET', '/__sim/requests', { token: 'secret' })).json as { items: unknown[] };
    expect(all.items).toHaveLength(2);
    expect(await call(server, 'GET', '/__sim/requests?mutating=true', { token: 'secret' })).toEqual({
      status: 200,
      json: {
        items: [
          {
            seq: 1,
            time: write.time,
            method: 'PATCH',
            path: '/api/v1/nodes/a-1',
            query: { fieldManager: ['herdbook'] },
            user: 'system:admin',
            verb: 'patch',
            status: 200,
            dryRun: false,
            mutating: true,
          },
        ],
      },
    });
    expect((await call(server, 'POST', '/__sim/reset-requests', { token: 'secret' })).json).toEqual({ ok: true });
    expect(calls).toContain('clear');
  });

  it('steers nodes and pods; refuses keepUnreachableTaint, saying how the real cluster gets there', async () => {
    expect((await call(server, 'GET', '/__sim/nodes', { token: 'secret' })).json).toEqual({
      items: [
        {
          name: 'a-1',
          reachable: true,
          ready: true,
          version: 'v1.31.4+k3s1',
          keepUnreachableTaint: false,
          manual: false,
        },
      ],
    });
    expect(
      (await call(server, 'POST', '/__sim/nodes/a-1', { token: 'secret', body: { ready: false } })).json,
    ).toMatchObject({ name: 'a-1', ready: false, manual: true });
    expect((await call(server, 'POST', '/__sim/nodes/a-1', { token: 'secret', body: { release: true } })).status).toBe(
      200,
    );
    expect((await call(server, 'POST', '/__sim/nodes/x-9', { token: 'secret', body: { ready: false } })).status).toBe(
      404,
    );
    const keep = await call(server, 'POST', '/__sim/nodes/a-1', {
      token: 'secret',
      body: { reachable: false, keepUnreachableTaint: true },
    });
    expect(keep.status).toBe(400);
    expect((keep.json as { message: string }).message).toMatch(
      /^keepUnreachableTaint is kube-sim only: .*POST \/__sim\/controller-manager \{"running": false\}/,
    );
    expect(
      (await call(server, 'POST', '/__sim/pods/default/web-1', { token: 'secret', body: { ready: false } })).status,
    ).toBe(200);
    expect(
      (await call(server, 'POST', '/__sim/controller-manager', { token: 'secret', body: { running: false } })).json,
    ).toEqual({ running: false });
    expect((await call(server, 'POST', '/__sim/apply', { token: 'secret', body: { nodes: {} } })).status).toBe(400);
    expect(calls).toEqual(
      expect.arrayContaining(['set a-1 {"ready":false}', 'release a-1', 'pod default/web-1 false', 'pause true']),
    );
    expect(calls.filter((c) => c.includes('reachable'))).toEqual([]);
  });
});
