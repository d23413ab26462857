// Scenario files: loading YAML and JSON, clear errors for a wrong shape, and adding to a
// running simulator through its admin endpoint.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScenario, loadScenario, ScenarioError, type KubeSim } from '../../../sandbox/kube-sim/index.js';
import { raw, startFast } from './helpers.js';

describe('kube-sim scenarios', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-scenario-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads the same scenario from YAML and from JSON', async () => {
    const data = {
      nodes: [{ name: 's-1', role: 'server', kubeletVersion: 'v1.30.8+k3s1' }],
      deployments: [{ name: 'web', replicas: 2, pdb: { maxUnavailable: 1 } }],
    };
    await writeFile(join(dir, 's.json'), JSON.stringify(data));
    await writeFile(
      join(dir, 's.yaml'),
      'nodes:\n  - name: s-1\n    role: server\n    kubeletVersion: v1.30.8+k3s1\ndeployments:\n  - name: web\n    replicas: 2\n    pdb: { maxUnavailable: 1 }\n',
    );
    expect(await loadScenario(join(dir, 's.yaml'))).toEqual(await loadScenario(join(dir, 's.json')));
  });

  const bad: Array<[unknown, string]> = [
    [[], 'scenario: expected a mapping'],
    [
      { node: [] },
      'scenario: unknown key "node" (known: namespaces, nodes, deployments, daemonsets, pods, pdbs, pvcs, leases, kubeletVersion, timings)',
    ],
    [{ nodes: {} }, 'scenario: "nodes" must be a list'],
    [{ pods: [{ node: 'w-1' }] }, 'scenario: pods[0] needs a "name"'],
    [{ nodes: [{ name: 'a', role: 'worker' }] }, 'scenario: node a: role must be server or agent'],
    [
      { nodes: [{ name: 'a', versionCommand: 'k3s --version' }] },
      'scenario: node a: versionCommand must be a list of strings (argv, no shell)',
    ],
  ];
  for (const [data, message] of bad) {
    it(`refuses ${JSON.stringify(data)}`, () => {
      expect(() => checkScenario(data)).toThrow(new ScenarioError(message));
    });
  }

  it('starts the shipped lab scenario', async () => {
    const lab = await loadScenario(new URL('../../../sandbox/kube-sim/scenarios/lab.yaml', import.meta.url).pathname);
    const sim = await startFast({ scenario: lab });
    try {
      const pods = sim.list('pods');
      expect(pods.filter((p) => p.status.phase === 'Running')).toHaveLength(pods.length);
      // 3 web + 2 cache + 1 coredns + 3 svclb + 2 bare pods.
      expect(pods).toHaveLength(11);
      expect(sim.get('poddisruptionbudgets.policy', 'apps', 'web-pdb')?.status).toMatchObject({
        currentHealthy: 3,
        disruptionsAllowed: 1,
      });
    } finally {
      await sim.close();
    }
  });

  it('starts an empty cluster with its default namespaces and grows it by the API', async () => {
    const sim = await startFast();
    try {
      expect(sim.list('namespaces').map((n) => n.metadata.name)).toEqual([
        'default',
        'kube-node-lease',
        'kube-public',
        'kube-system',
      ]);
      sim.addNode({ name: 'solo', role: 'server' });
      sim.addDeployment({ name: 'web', replicas: 2 });
      await sim.waitFor(
        () => sim.list('pods').filter((p) => p.status.phase === 'Running').length === 2,
        5000,
        'pods running',
      );
    } finally {
      await sim.close();
    }
  });

  it('names the file when it cannot be read or parsed', async () => {
    await expect(loadScenario(join(dir, 'missing.yaml'))).rejects.toThrow(/cannot read scenario .*missing\.yaml/);
    await writeFile(join(dir, 'broken.yaml'), 'nodes: [\n');
    await expect(loadScenario(join(dir, 'broken.yaml'))).rejects.toThrow(/broken\.yaml: /);
  });

  describe('adding to a running simulator', () => {
    let sim: KubeSim;
    beforeAll(async () => {
      sim = await startFast({ scenario: { nodes: [{ name: 's-1', role: 'server' }] } });
    });
    afterAll(() => sim.close());

    it('applies a fragment posted to /__sim/apply', async () => {
      const body =
        'nodes:\n  - name: w-9\n    unschedulable: true\npvcs:\n  - name: data\n    storage: 5Gi\npods:\n  - name: db\n    pvc: data\n    node: s-1\n';
      const r = await raw(sim, 'POST', '/__sim/apply', {
        token: sim.tokens.admin,
        contentType: 'application/yaml',
        body,
      });
      expect(r.json).toEqual({ ok: true });
      expect(sim.get('nodes', undefined, 'w-9')?.spec.unschedulable).toBe(true);
      expect(sim.get('persistentvolumeclaims', 'default', 'data')?.status).toMatchObject({
        phase: 'Bound',
        capacity: { storage: '5Gi' },
      });
      const pod = await sim.waitFor(
        () => sim.get('pods', 'default', 'db')?.status.phase === 'Running' && sim.get('pods', 'default', 'db'),
      );
      expect(pod.spec.volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'data' } });
      const bad = await raw(sim, 'POST', '/__sim/apply', { token: sim.tokens.admin, body: '{"nodes": {}}' });
      expect(bad.status).toBe(400);
      expect(bad.json.message).toBe('admin apply: "nodes" must be a list');
    });
  });
});
