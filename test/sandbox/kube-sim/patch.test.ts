// The three patch types on nodes, the status subresource, and the answers for a wrong
// content type and for client-node's default (JSON Patch) with an object body.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import {
  clientsFor,
  failure,
  jsonPatch,
  mergePatch,
  raw,
  startFast,
  strategicPatch,
  twoWorkers,
  type Clients,
} from './helpers.js';

describe('kube-sim node patches', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({ scenario: twoWorkers });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());
  const node = (name: string) => sim.get('nodes', undefined, name)!;

  it('cordons with a merge patch and bumps the resourceVersion', async () => {
    const before = node('w-1').metadata.resourceVersion!;
    const out = await c.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: true } } }, mergePatch);
    expect(out.spec?.unschedulable).toBe(true);
    expect(Number(out.metadata?.resourceVersion)).toBeGreaterThan(Number(before));
    expect(node('w-1').spec.unschedulable).toBe(true);
    expect(sim.requests().at(-1)).toMatchObject({
      method: 'PATCH',
      contentType: 'application/merge-patch+json',
      verb: 'patch',
      status: 200,
      mutating: true,
    });
  });

  it('does not write (nor bump the resourceVersion) for a patch that changes nothing', async () => {
    const before = node('w-1').metadata.resourceVersion;
    const out = await c.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: true } } }, mergePatch);
    expect(out.metadata?.resourceVersion).toBe(before);
  });

  it('treats unschedulable: false and an empty taint list as absent, as Go omits them', async () => {
    const before = node('w-2').metadata.resourceVersion;
    const out = await c.core.patchNode(
      { name: 'w-2', body: { spec: { unschedulable: false, taints: [] }, metadata: { labels: {} } } },
      mergePatch,
    );
    expect(out.metadata?.resourceVersion).toBe(before);
    expect(node('w-2').spec.unschedulable).toBeUndefined();
  });

  it('replaces the taint list with a strategic merge patch (taints have no merge key)', async () => {
    await c.core.patchNode(
      { name: 'w-2', body: { spec: { taints: [{ key: 'a', value: '1', effect: 'NoSchedule' }] } } },
      strategicPatch,
    );
    await c.core.patchNode(
      { name: 'w-2', body: { spec: { taints: [{ key: 'b', effect: 'PreferNoSchedule' }] } } },
      strategicPatch,
    );
    expect(node('w-2').spec.taints).toEqual([{ key: 'b', effect: 'PreferNoSchedule' }]);
    // Labels merge; null deletes.
    await c.core.patchNode(
      { name: 'w-2', body: { metadata: { labels: { tier: 'edge', 'kubernetes.io/os': null } } } },
      strategicPatch,
    );
    expect(node('w-2').metadata.labels).toMatchObject({ tier: 'edge', 'kubernetes.io/hostname': 'w-2' });
    expect(node('w-2').metadata.labels?.['kubernetes.io/os']).toBeUndefined();
  });

  it('applies a JSON patch given as an array of operations', async () => {
    await c.core.patchNode(
      {
        name: 'w-2',
        body: [
          { op: 'test', path: '/spec/taints/0/key', value: 'b' },
          { op: 'remove', path: '/spec/taints/0' },
          { op: 'add', path: '/metadata/annotations/herdbook~1drained-by', value: 'herdbook' },
        ],
      },
      jsonPatch,
    );
    // An empty list is omitted, as Go's omitempty serialises it.
    expect(node('w-2').spec.taints).toBeUndefined();
    expect(node('w-2').metadata.annotations?.['herdbook/drained-by']).toBe('herdbook');
    const f = await failure(
      c.core.patchNode({ name: 'w-2', body: [{ op: 'test', path: '/spec/unschedulable', value: true }] }, jsonPatch),
    );
    expect(f.code).toBe(422);
    // transcript 08: NewGenericServerResponse(422) without causes.
    expect(f.body).toMatchObject({
      reason: 'Invalid',
      message: 'the server rejected our request due to an error in our request',
      details: {},
    });
  });

  it("answers client-node's default (JSON Patch with an object body) with the real 400", async () => {
    const f = await failure(c.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: false } } }));
    expect(f.code).toBe(400);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'error decoding patch: json: cannot unmarshal object into Go value of type []handlers.jsonPatchOp',
      reason: 'BadRequest',
      code: 400,
    });
    expect(node('w-1').spec.unschedulable).toBe(true);
  });

  it('answers 415 for a content type that is not a patch type (transcript 12)', async () => {
    const r = await raw(sim, 'PATCH', '/api/v1/nodes/w-1', {
      token: sim.tokens.admin,
      contentType: 'application/json',
      body: '{"spec":{"unschedulable":false}}',
    });
    expect(r.status).toBe(415);
    expect(r.json).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: '415: Unsupported Media Type',
      reason: 'UnsupportedMediaType',
      details: {},
      code: 415,
    });
  });

  it('keeps status out of reach of the main resource, and in reach of nodes/status', async () => {
    await c.core.patchNode({ name: 'w-1', body: { status: { nodeInfo: { kubeletVersion: 'v9.9.9' } } } }, mergePatch);
    expect(node('w-1').status.nodeInfo.kubeletVersion).toBe('v1.31.4+k3s1');
    const status = await c.core.readNodeStatus({ name: 'w-1' });
    expect(status.status?.conditions?.find((x) => x.type === 'Ready')?.status).toBe('True');
    // Conditions merge by type in a strategic merge patch.
    await c.core.patchNodeStatus(
      {
        name: 'w-1',
        body: {
          status: {
            conditions: [{ type: 'NetworkUnavailable', status: 'False', reason: 'FlannelIsUp', message: 'ok' }],
          },
        },
      },
      strategicPatch,
    );
    const types = node('w-1').status.conditions.map((x: { type: string }) => x.type);
    expect(types).toEqual(expect.arrayContaining(['Ready', 'MemoryPressure', 'NetworkUnavailable']));
  });

  it('takes an apply patch (YAML) only with a fieldManager', async () => {
    const body = 'metadata:\n  labels:\n    applied: "yes"\n';
    const missing = await raw(sim, 'PATCH', '/api/v1/nodes/w-1', {
      token: sim.tokens.admin,
      contentType: 'application/apply-patch+yaml',
      body,
    });
    expect(missing.status).toBe(422);
    expect(missing.json.message).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    const ok = await raw(sim, 'PATCH', '/api/v1/nodes/w-1?fieldManager=herdbook', {
      token: sim.tokens.admin,
      contentType: 'application/apply-patch+yaml',
      body,
    });
    expect(ok.status).toBe(200);
    expect(node('w-1').metadata.labels?.applied).toBe('yes');
  });

  it('honours a resourceVersion in a patch as a precondition', async () => {
    const f = await failure(
      c.core.patchNode({ name: 'w-1', body: { metadata: { resourceVersion: '1', labels: { x: 'y' } } } }, mergePatch),
    );
    expect(f.code).toBe(409);
    expect(f.body.message).toBe(
      'Operation cannot be fulfilled on nodes "w-1": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('uncordons with a strategic merge patch through the generic client with PatchStrategy', async () => {
    await c.core.patchNode(
      { name: 'w-1', body: { spec: { unschedulable: null } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.StrategicMergePatch),
    );
    expect(node('w-1').spec.unschedulable).toBeUndefined();
  });

  it('deletes a node; its pods are collected', async () => {
    sim.addPod({ name: 'stray', node: 'w-2' });
    await sim.waitFor(() => sim.get('pods', 'default', 'stray')?.status.phase === 'Running');
    const out = await c.core.deleteNode({ name: 'w-2' });
    expect(out).toMatchObject({ status: 'Success', details: { name: 'w-2', kind: 'nodes' } });
    expect(sim.get('nodes', undefined, 'w-2')).toBeUndefined();
    await sim.waitFor(() => sim.get('pods', 'default', 'stray') === undefined, 5000, 'pod GC');
  });
});
