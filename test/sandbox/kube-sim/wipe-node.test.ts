// DELETE /__sim/nodes/<n>: a node whose machine was wiped (k3s uninstalled) loses its Node, and
// registers again, as its scenario said, when its kubelet next answers: a test can run a playbook
// that installs k3s twice on the same nodes and compare the Nodes each run left.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { raw, startFast } from './helpers.js';

describe('wiping a node', () => {
  let sim: KubeSim;
  let dir: string;
  const version = () => join(dir, 'version');
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kube-sim-wipe-'));
    await writeFile(version(), 'k3s version v1.31.4+k3s1 (abc)\n');
    sim = await startFast({
      scenario: {
        nodes: [
          { name: 's-1', role: 'server', joins: true, versionFile: version() },
          { name: 'w-1', ready: true },
        ],
      },
    });
  });
  afterAll(async () => {
    await sim.close();
    await rm(dir, { recursive: true, force: true });
  });
  const wipe = (n: string) => raw(sim, 'DELETE', `/__sim/nodes/${n}`, { token: sim.tokens.admin });

  it('removes the Node; it registers again when its kubelet answers, with its role', async () => {
    await sim.waitFor(() => sim.get('nodes', undefined, 's-1'));
    const before = sim.get('nodes', undefined, 's-1')!.metadata.uid;
    await rm(version());
    expect((await wipe('s-1')).json).toEqual({ ok: true });
    expect(sim.get('nodes', undefined, 's-1')).toBeUndefined();
    // Its kubelet does not answer (no k3s): it stays away.
    await new Promise((r) => setTimeout(r, 300));
    expect(sim.get('nodes', undefined, 's-1')).toBeUndefined();
    await writeFile(version(), 'k3s version v1.32.5+k3s1 (abc)\n');
    const again = await sim.waitFor(() => sim.get('nodes', undefined, 's-1'));
    expect(again.metadata.uid).not.toBe(before);
    expect(again.metadata.labels?.['node-role.kubernetes.io/control-plane']).toBe('true');
    expect(again.status?.nodeInfo?.kubeletVersion).toBe('v1.32.5+k3s1');
  });

  it('refuses a node no command reports on (it would never come back) and one it does not know', async () => {
    expect((await wipe('w-1')).status).toBe(404);
    expect((await wipe('nope')).status).toBe(404);
    expect(sim.get('nodes', undefined, 'w-1')).toBeDefined();
  });
});
