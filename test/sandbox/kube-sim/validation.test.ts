// Request bodies checked against the OpenAPI schema the way kube-apiserver decodes them:
// MicroTime (transcript 15), unknown fields under each fieldValidation (09, 10), wrong JSON
// types on create (400) and in patches (422), required fields, Time truncated to seconds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1Lease } from '@kubernetes/client-node';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, failure, raw, startFast, type Clients } from './helpers.js';

describe('kube-sim decodes bodies as the API server does', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({ scenario: { nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }] } });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());
  const send = (method: string, path: string, body: unknown, contentType = 'application/json') =>
    raw(sim, method, path, { token: sim.tokens.admin, contentType, body: JSON.stringify(body) });

  it('refuses a Lease whose MicroTime has milliseconds, as client-node writes a Date (transcript 15)', async () => {
    const at = new Date('2026-12-05T14:35:20.405Z');
    const lease: V1Lease = {
      metadata: { name: 'ms', namespace: 'kube-system' },
      spec: { holderIdentity: 'x', acquireTime: at, renewTime: at },
    };
    const f = await failure(c.coordination.createNamespacedLease({ namespace: 'kube-system', body: lease }));
    expect(f.code).toBe(400);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'Lease in version "v1" cannot be handled as a Lease: parsing time "2026-12-05T14:35:20.405Z" as "2006-01-02T15:04:05.000000Z07:00": cannot parse ".405Z" as ".000000"',
      reason: 'BadRequest',
      code: 400,
    });
  });

  it('warns about an unknown field by default and drops it; Ignore says nothing; Strict refuses (transcripts 09, 10)', async () => {
    const warn = await send(
      'PATCH',
      '/api/v1/nodes/w-1',
      { spec: { unschedulabel: true } },
      'application/merge-patch+json',
    );
    expect(warn.status).toBe(200);
    expect(warn.headers.warning).toBe('299 - "unknown field \\"spec.unschedulabel\\""');
    expect(warn.json.spec.unschedulabel).toBeUndefined();
    const ignore = await send(
      'PATCH',
      '/api/v1/nodes/w-1?fieldValidation=Ignore',
      { spec: { unschedulabel: true } },
      'application/merge-patch+json',
    );
    expect(ignore.headers.warning).toBeUndefined();
    const strict = await send(
      'PATCH',
      '/api/v1/nodes/w-1?fieldValidation=Strict',
      { spec: { unschedulabel: true } },
      'application/merge-patch+json',
    );
    expect(strict.status).toBe(422);
    expect(strict.json.message).toMatch(
      /^ "" is invalid: patch: Invalid value: "\{.*\}": strict decoding error: unknown field "spec.unschedulabel"$/,
    );
    expect(strict.json.details).toEqual({
      causes: [{ reason: 'FieldValueInvalid', field: 'patch', message: expect.stringMatching(/^Invalid value: /) }],
    });
    // On create and update the decoder refuses it with a 400 (handlers/create.go: transformDecodeError).
    const create = await send('POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', {
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'i', colour: 'red' }] },
    });
    expect(create.status).toBe(400);
    expect(create.json.message).toBe(
      'Pod in version "v1" cannot be handled as a Pod: strict decoding error: unknown field "spec.containers[0].colour"',
    );
    const bad = await send('POST', '/api/v1/namespaces/default/pods?fieldValidation=strict', {
      metadata: { name: 'p' },
    });
    expect(bad.json.message).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });

  it('refuses a wrong JSON type: 400 on create, 422 on the patch field for JSON and strategic merge patches', async () => {
    const create = await send('POST', '/apis/coordination.k8s.io/v1/namespaces/default/leases', {
      metadata: { name: 'l' },
      spec: { leaseDurationSeconds: '60' },
    });
    expect(create.status).toBe(400);
    expect(create.json.message).toBe(
      'Lease in version "v1" cannot be handled as a Lease: json: cannot unmarshal string into Go struct field LeaseSpec.spec.leaseDurationSeconds of type int32',
    );
    const merge = await send(
      'PATCH',
      '/api/v1/nodes/w-1',
      { spec: { unschedulable: 'yes' } },
      'application/merge-patch+json',
    );
    expect(merge.status).toBe(422);
    expect(merge.json.message).toMatch(
      /: json: cannot unmarshal string into Go struct field NodeSpec.spec.unschedulable of type bool$/,
    );
    // The strategic patch is converted without JSON (runtime's unstructured converter) and shown as Go prints a map.
    const smp = await send(
      'PATCH',
      '/api/v1/nodes/w-1',
      { spec: { unschedulable: 'yes' } },
      'application/strategic-merge-patch+json',
    );
    expect(smp.json.message).toBe(
      ' "" is invalid: patch: Invalid value: "map[spec:map[unschedulable:yes]]": unrecognized type: bool',
    );
  });

  it('reports required fields the schema names, and keeps Time in whole seconds', async () => {
    const d = await send('POST', '/apis/apps/v1/namespaces/default/deployments', {
      metadata: { name: 'd' },
      spec: { template: { spec: { containers: [{ name: 'c', image: 'i' }] } } },
    });
    expect(d.status).toBe(422);
    expect(d.json.details.causes).toContainEqual({
      reason: 'FieldValueRequired',
      message: 'Required value',
      field: 'spec.selector',
    });
    const t = await send(
      'PATCH',
      '/api/v1/nodes/w-1',
      { spec: { taints: [{ key: 'k', effect: 'NoExecute', timeAdded: '2026-12-05T15:35:20.9+01:00' }] } },
      'application/merge-patch+json',
    );
    expect(t.json.spec.taints).toEqual([{ key: 'k', effect: 'NoExecute', timeAdded: '2026-12-05T14:35:20Z' }]);
  });
});
