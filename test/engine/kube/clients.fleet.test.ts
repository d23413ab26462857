// The Kubernetes client from a k3s server's own kubeconfig, read over SSH: the address rewritten
// to the host's, or carried through an SSH tunnel (kube_api_tunnel); one client per cluster.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createKubeFactory, rewriteServer } from '../../../engine/kube/clients.js';
import { openTunnel } from '../../../engine/kube/tunnel.js';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { fleetFor } from '../../helpers/fleet.js';
import { startSim } from '../../helpers/kube.js';

let sim: KubeSim;
let f: Awaited<ReturnType<typeof fleetFor>>;

beforeAll(async () => {
  sim = await startSim({ scenario: { nodes: [{ name: 's-1', role: 'server' }] } });
  f = await fleetFor([{ name: 's-1' }]);
  // What k3s writes on a server: the admin kubeconfig (here pointing at the simulator's port).
  const dir = path.join(f.fleet.node('s-1').root, 'etc/rancher/k3s');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'k3s.yaml'), rewriteServer(sim.kubeconfig, `https://127.0.0.1:${sim.port}`), { mode: 0o600 });
}, 120_000);

describe('kubeconfig_from a k3s server', () => {
  const factory = () =>
    createKubeFactory({
      connection: async () => f.conn('s-1'),
      settings: () => f.fleet.node('s-1').settings,
      tunnel: async (through, host, port) => (await openTunnel(f.conn(through), host, port)).port,
    });

  it("reads /etc/rancher/k3s/k3s.yaml over SSH and talks to the host's address", async () => {
    const kube = await factory()({ from: 's-1' });
    expect(kube.server).toBe(`https://127.0.0.1:${sim.port}`);
    expect((await kube.core.listNode({})).items.map((n) => n.metadata?.name)).toEqual(['s-1']);
  });

  it('with kube_api_tunnel, every request goes through the SSH connection to a local port', async () => {
    const kube = await factory()({ from: 's-1', tunnel: true });
    expect(kube.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(kube.server).not.toBe(`https://127.0.0.1:${sim.port}`);
    sim.clearRequests();
    expect((await kube.version.getCode()).gitVersion).toMatch(/^v1\./);
    expect(sim.requests().some((r) => r.path === '/version')).toBe(true);
  });

  it('one client per cluster: the same spec gives the same client', async () => {
    const make = factory();
    expect(await make({ from: 's-1' })).toBe(await make({ from: 's-1' }));
  });

  it('names the context it cannot find', async () => {
    await expect(factory()({ from: 's-1', context: 'nope' })).rejects.toThrow(/kube_context 'nope' is not in the kubeconfig/);
  });
});
