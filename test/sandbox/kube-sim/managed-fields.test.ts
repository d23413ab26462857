// managedFields as kube-apiserver keeps them (transcripts 03, 04, 06, 20), and drain's
// "cordoned by herdbook" check reading them the way it will on a real cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { readNodeState, FIELD_MANAGER } from '../../../modules/kube/drain/state.js';
import { setCordon } from '../../../modules/kube/drain/apply.js';
import type { Obj } from '../../helpers/kube-backend.js';
import { kubeFor } from '../../helpers/kube.js';
import { clientsFor, raw, startFast, strategicPatch, type Clients } from './helpers.js';

/** A managedFields entry, as far as these tests read it (fieldsV1 is JSON they read deep into). */
type FieldsEntry = { manager?: string; operation?: string; subresource?: string; fieldsV1?: Obj };

const entries = (sim: KubeSim, name: string) =>
  (sim.get('nodes', undefined, name)!.metadata.managedFields ?? []) as FieldsEntry[];
const owners = (sim: KubeSim, name: string, field: string) =>
  entries(sim, name)
    .filter((e) => e.fieldsV1?.['f:spec']?.[`f:${field}`])
    .map((e) => e.manager);

describe('kube-sim managedFields', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({
      scenario: { nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }, { name: 'w-2' }, { name: 'w-3' }] },
    });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  it('records a strategic patch of spec.unschedulable under fieldManager=herdbook (transcript 04)', async () => {
    await c.core.patchNode(
      { name: 'w-1', body: { spec: { unschedulable: true } }, fieldManager: 'herdbook' },
      strategicPatch,
    );
    const mine = entries(sim, 'w-1').find((e) => e.manager === 'herdbook');
    expect(mine).toEqual({
      manager: 'herdbook',
      operation: 'Update',
      apiVersion: 'v1',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      fieldsType: 'FieldsV1',
      fieldsV1: { 'f:spec': { 'f:unschedulable': {} } },
    });
  });

  it('names who registered the node and who annotated it, and takes fields from their owner', async () => {
    const managers = entries(sim, 'w-2').map((e) => e.manager);
    // k3s registers the node (labels); the TTL controller adds its annotation.
    expect(managers).toEqual(expect.arrayContaining(['k3s', 'kube-controller-manager']));
    expect(entries(sim, 'w-2').find((e) => e.manager === 'k3s')!.fieldsV1['f:metadata']['f:labels']['.']).toEqual({});
    await c.core.patchNode(
      { name: 'w-2', body: { metadata: { labels: { 'kubernetes.io/os': 'plan9' } } }, fieldManager: 'ops' },
      strategicPatch,
    );
    expect(entries(sim, 'w-2').find((e) => e.manager === 'ops')!.fieldsV1).toEqual({
      'f:metadata': { 'f:labels': { 'f:kubernetes.io/os': {} } },
    });
    expect(
      entries(sim, 'w-2').find((e) => e.manager === 'k3s')!.fieldsV1['f:metadata']['f:labels']['f:kubernetes.io/os'],
    ).toBeUndefined();
  });

  it('names the manager after the User-Agent without fieldManager, and marks status writes', async () => {
    const r = await raw(sim, 'PATCH', '/api/v1/nodes/w-2/status', {
      token: sim.tokens.admin,
      contentType: 'application/merge-patch+json',
      body: JSON.stringify({ status: { phase: 'Running' } }),
      userAgent: 'kubectl/v1.32.0 (linux/amd64)',
    });
    expect(r.status).toBe(200);
    expect(r.json.metadata.managedFields.find((e: FieldsEntry) => e.manager === 'kubectl')).toMatchObject({
      operation: 'Update',
      subresource: 'status',
      fieldsV1: { 'f:status': { 'f:phase': {} } },
    });
  });

  it("lets drain tell its own cordon from an operator's, through managedFields as on a real cluster", async () => {
    const kube = await kubeFor(sim);
    await setCordon(kube, 'w-3', true, 'ann');
    expect(owners(sim, 'w-3', 'unschedulable')).toEqual([FIELD_MANAGER]);
    expect((await readNodeState(kube, 'w-3')).cordonedByHerdbook).toBe(true);
    // kubectl uncordon, then kubectl cordon: the annotation is still ours, the cordon is not.
    await c.core.patchNode(
      { name: 'w-3', body: { spec: { unschedulable: null } }, fieldManager: 'kubectl-cordon' },
      strategicPatch,
    );
    await c.core.patchNode(
      { name: 'w-3', body: { spec: { unschedulable: true } }, fieldManager: 'kubectl-cordon' },
      strategicPatch,
    );
    expect(owners(sim, 'w-3', 'unschedulable')).toEqual(['kubectl-cordon']);
    expect(sim.get('nodes', undefined, 'w-3')!.metadata.annotations?.['herdbook.dev/cordoned-by']).toBe('ann');
    expect((await readNodeState(kube, 'w-3')).cordonedByHerdbook).toBe(false);
  });
});
