// The Kubernetes client from a k3s server's own kubeconfig, read over SSH: the address rewritten
// to the host's, or carried through an SSH tunnel (kube_api_tunnel); one client per cluster.
// The requests run against kube-sim and the real kube-apiserver (describeBackends), each suite
// pointing the node's k3s.yaml at its own API server; what never reaches an API (the client
// cache, a missing context) runs once.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKubeFactory, rewriteServer } from '../../../engine/kube/clients.js';
import { openTunnel } from '../../../engine/kube/tunnel.js';
import { createPki } from '../../../sandbox/kube-sim/index.js';
import { kubeconfigYaml } from '../../../sandbox/kube-sim/server/kubeconfig.js';
import { describeBackends } from '../../helpers/backends.js';
import { fleetFor } from '../../helpers/fleet.js';

let f: Awaited<ReturnType<typeof fleetFor>>;

beforeAll(async () => {
  f = await fleetFor([{ name: 's-1' }]);
}, 120_000);

/** What k3s writes on a server: the admin kubeconfig, /etc/rancher/k3s/k3s.yaml. */
function writeK3sYaml(kubeconfig: string): void {
  const dir = path.join(f.fleet.node('s-1').root, 'etc/rancher/k3s');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'k3s.yaml'), kubeconfig, { mode: 0o600 });
}

const factory = () =>
  createKubeFactory({
    connection: async () => f.conn('s-1'),
    settings: () => f.fleet.node('s-1').settings,
    tunnel: async (through, host, port) => (await openTunnel(f.conn(through), host, port)).port,
  });

describeBackends('kubeconfig_from a k3s server', { scenario: { nodes: [{ name: 's-1', role: 'server' }] } }, (b) => {
  const port = () => new URL(b().url).port;
  // k3s.yaml points at this suite's API server, as the host's own address.
  beforeAll(() => writeK3sYaml(rewriteServer(b().kubeconfig, `https://127.0.0.1:${port()}`)));

  it("reads /etc/rancher/k3s/k3s.yaml over SSH and talks to the host's address", async () => {
    const kube = await factory()({ from: 's-1' });
    expect(kube.server).toBe(`https://127.0.0.1:${port()}`);
    expect((await kube.core.listNode({})).items.map((n) => n.metadata?.name)).toEqual(['s-1']);
  });

  it('with kube_api_tunnel, every request goes through the SSH connection to a local port', async () => {
    const kube = await factory()({ from: 's-1', tunnel: true });
    expect(kube.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(kube.server).not.toBe(`https://127.0.0.1:${port()}`);
    await b().clearRequests();
    expect((await kube.version.getCode()).gitVersion).toMatch(/^v1\./);
    expect((await b().requests()).some((r) => r.path === '/version')).toBe(true);
  });
});

describe('kubeconfig_from a k3s server, without asking the API', () => {
  // As k3s writes it; no API server listens there, and none is asked.
  beforeAll(() => {
    const pki = createPki();
    writeK3sYaml(kubeconfigYaml('https://127.0.0.1:6443', pki.ca.certPem, pki.admin));
  });

  it('one client per cluster: the same spec gives the same client', async () => {
    const make = factory();
    expect(await make({ from: 's-1' })).toBe(await make({ from: 's-1' }));
  });

  it('names the context it cannot find', async () => {
    await expect(factory()({ from: 's-1', context: 'nope' })).rejects.toThrow(
      /kube_context 'nope' is not in the kubeconfig/,
    );
  });
});
