// `herdbook sandbox up --kube-apiserver`: the sandbox fleet on a real control plane. Its
// nodes report the k3s installed on the fleet; a check run writes nothing (the audit log
// says so, read from another process); `sandbox down` leaves no process behind.
import { chmodSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readSandboxState, type SandboxState } from '../../../sandbox/cluster/index.js';
import { AuditLog } from '../../../sandbox/real-kube/audit.js';
import { apiClients } from '../../../sandbox/real-kube/clients.js';
import { USERS } from '../../../sandbox/real-kube/pki.js';
import { herdbook, ROOT } from '../../e2e/helpers.js';
import { fetchJson } from '../../../sandbox/cluster/https-json.js';
import { processesMentioning } from '../../helpers/procs.js';
import { describeRealKube } from '../../helpers/real-kube.js';

await describeRealKube('sandbox up --kube-apiserver', () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'hb-real-sandbox-'));
  // The fleet's become users must be able to enter it.
  chmodSync(parent, 0o755);
  const stateDir = path.join(parent, 'sandbox');
  let state: SandboxState;

  beforeAll(async () => {
    const up = await herdbook(['sandbox', 'up', '--kube-apiserver', '--state-dir', stateDir], { timeoutMs: 240_000 });
    if (up.code !== 0) throw new Error(`sandbox up failed (${up.code}):\n${up.stderr}\n${up.stdout}`);
    state = (await readSandboxState(stateDir))!;
  }, 300_000);
  afterAll(async () => {
    await herdbook(['sandbox', 'down', '--state-dir', stateDir], { timeoutMs: 60_000 });
  }, 120_000);

  it('runs the fleet on a real kube-apiserver whose nodes report the k3s installed on the fleet', async () => {
    expect(state.sim.kind).toBe('real-kube');
    const api = apiClients(readFileSync(state.kubeconfig, 'utf8'));
    expect(
      (await api.kc.makeApiClient((await import('@kubernetes/client-node')).VersionApi).getCode()).gitVersion,
    ).toBe('v1.32.13');
    const nodes = (await api.core.listNode()).items.map((n) => [
      n.metadata!.name,
      n.status!.nodeInfo!.kubeletVersion,
      n.status!.conditions!.find((c) => c.type === 'Ready')!.status,
    ]);
    expect(nodes.sort()).toEqual([
      ['a-1', 'v1.31.4+k3s1', 'True'],
      ['a-2', 'v1.31.4+k3s1', 'True'],
      ['s-1', 'v1.31.4+k3s1', 'True'],
    ]);
    const status = await herdbook(['sandbox', 'status', '--state-dir', stateDir]);
    expect(status.stdout).toMatch(/API: +https:\/\/127\.0\.0\.1:\d+ \(real kube-apiserver, pid \d+\)/);
  });

  it('a check run of the skew playbook writes nothing to the real API', async () => {
    const audit = new AuditLog(path.join(state.sim.dir, 'audit.log'), USERS.admin);
    await audit.clear();
    const run = await herdbook(
      ['run', path.join(ROOT, 'playbooks/check-version-skew.yaml'), '-i', state.inventory, '--check'],
      { timeoutMs: 120_000 },
    );
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(await audit.mutating()).toEqual([]);
  });

  it("serves kube-sim's admin surface on its own port: nodes steered, the admin's writes listed, the sandbox's own not", async () => {
    expect(state.sim.adminUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(state.sim.adminUrl).not.toBe(state.sim.url);
    const token = readFileSync(path.join(state.sim.dir, 'admin-token'), 'utf8').trim();
    const ca = readFileSync(path.join(state.sim.dir, 'ca.crt'), 'utf8');
    const admin = async (p: string, method = 'GET', body?: unknown) => {
      const r = await fetchJson(`${state.sim.adminUrl}${p}`, { method, ca, token, body });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json as { items: { name?: string; method?: string; path?: string }[] };
    };
    expect((await admin('/__sim/nodes')).items.map((n) => n.name).sort()).toEqual(['a-1', 'a-2', 's-1']);
    await admin('/__sim/reset-requests', 'POST');
    const api = apiClients(readFileSync(state.kubeconfig, 'utf8'));
    await api.core.patchNode(
      { name: 'a-1', body: { metadata: { labels: { touched: 'yes' } } } },
      (await import('../../../sandbox/real-kube/clients.js')).mergePatch(),
    );
    // The sandbox's own write (a scenario fragment) is not the admin's.
    await admin('/__sim/apply', 'POST', { pods: [{ name: 'extra', node: 'a-1' }] });
    expect((await admin('/__sim/requests?mutating=true')).items.map((r) => `${r.method} ${r.path}`)).toEqual([
      'PATCH /api/v1/nodes/a-1',
    ]);
    const status = await herdbook(['sandbox', 'status', '--state-dir', stateDir]);
    expect(status.stdout).toContain(`admin:       ${state.sim.adminUrl}/__sim/`);
  });

  it('sandbox down stops the control plane and everything it started', async () => {
    expect(processesMentioning(state.sim.dir).length).toBeGreaterThanOrEqual(4);
    const down = await herdbook(['sandbox', 'down', '--state-dir', stateDir], { timeoutMs: 60_000 });
    expect(down.code).toBe(0);
    expect(processesMentioning(stateDir)).toEqual([]);
  });
});
