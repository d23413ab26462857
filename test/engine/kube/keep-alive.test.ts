// herdbook's Kubernetes clients keep their TLS connection to the API server between calls
// (client-node 1.x alone opens a new one per call): a real HTTPS server counts the handshakes.
import { mkdtempSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKubeFactory } from '../../../engine/kube/clients.js';
import { IDLE_SOCKET_MS, KeepAliveAgent } from '../../../engine/kube/keep-alive.js';
import { createPki, type Pki } from '../../../sandbox/kube-sim/index.js';
import { kubeconfigYaml } from '../../../sandbox/kube-sim/server/kubeconfig.js';

describe('Kubernetes API connections', () => {
  let pki: Pki;
  let server: https.Server;
  let url: string;
  let handshakes = 0;

  beforeAll(async () => {
    pki = createPki();
    server = https.createServer({ cert: pki.server.certPem, key: pki.server.keyPem }, (req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ kind: 'NodeList', apiVersion: 'v1', metadata: {}, items: [] }));
    });
    // Go's API server sends no Keep-Alive hint and keeps idle connections: behave like it.
    server.keepAliveTimeout = 0;
    server.on('secureConnection', () => handshakes++);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))));

  const clientFor = async (token: string) => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-keepalive-'));
    const file = path.join(dir, 'kubeconfig');
    writeFileSync(file, kubeconfigYaml(url, pki.ca.certPem, { token }));
    return createKubeFactory({
      connection: () => Promise.reject(new Error('unused')),
      settings: (h) => ({ kind: 'ssh', host: h }),
    })({ kubeconfig: file });
  };

  it('five calls in a row, through two API groups, open one connection', async () => {
    const kube = await clientFor('t1');
    handshakes = 0;
    for (let i = 0; i < 4; i++) await kube.core.listNode();
    await kube.apps.listDeploymentForAllNamespaces();
    expect(handshakes).toBe(1);
  });

  it('concurrent calls open a connection each, then reuse them', async () => {
    const kube = await clientFor('t2');
    handshakes = 0;
    await Promise.all([kube.core.listNode(), kube.core.listNode(), kube.core.listNode()]);
    const first = handshakes;
    expect(first).toBeGreaterThanOrEqual(1);
    await Promise.all([kube.core.listNode(), kube.core.listNode(), kube.core.listNode()]);
    expect(handshakes).toBe(first);
  });

  it('an idle connection is closed after IDLE_SOCKET_MS; the bound is lifted while a call uses it', async () => {
    const agent = new KeepAliveAgent({ keepAlive: true, ca: pki.ca.certPem });
    const get = () =>
      new Promise<Socket>((resolve, reject) => {
        const req = https.get(`${url}/api/v1/nodes`, { agent }, (res) => {
          // While the call runs, its connection has no idle bound (a watch may wait longer).
          expect(req.socket?.timeout ?? 0).toBe(0);
          res.resume();
          res.on('end', () => resolve(req.socket as Socket));
        });
        req.on('error', reject);
      });
    try {
      const s1 = await get();
      await new Promise((r) => setImmediate(r));
      const free = Object.values(agent.freeSockets).flat();
      expect(free).toEqual([s1]);
      expect(s1.timeout).toBe(IDLE_SOCKET_MS);
      const s2 = await get();
      expect(s2).toBe(s1);
    } finally {
      agent.destroy();
    }
  });
});
