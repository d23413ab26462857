// ?watch=true through client-node's Watch: the current state, then changes as they happen.
import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, raw, startFast, twoWorkers, type Clients } from './helpers.js';

describe('kube-sim watch', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({ scenario: { ...twoWorkers, pods: [{ name: 'old', node: 'w-1' }] } });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  it('streams ADDED for what exists, then changes up to the deletion', async () => {
    const events: Array<[string, string, string | undefined]> = [];
    const watch = new k8s.Watch(c.kc);
    const req = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { fieldSelector: 'spec.nodeName=w-2' },
      (type: string, obj: k8s.V1Pod) => events.push([type, obj.metadata!.name!, obj.status?.phase]),
      () => undefined,
    );
    try {
      sim.addPod({ name: 'new', node: 'w-2' });
      await sim.waitFor(
        () => events.some(([t, n, phase]) => t === 'MODIFIED' && n === 'new' && phase === 'Running'),
        5000,
        'running event',
      );
      await c.core.deleteNamespacedPod({ name: 'new', namespace: 'default', gracePeriodSeconds: 0 });
      await sim.waitFor(() => events.some(([t]) => t === 'DELETED'), 5000, 'deleted event');
      expect(events[0]).toEqual(['ADDED', 'new', 'Pending']);
      // The pod on w-1 is outside the field selector.
      expect(events.every(([, n]) => n === 'new')).toBe(true);
    } finally {
      req.abort();
    }
  });

  it('resumes from a resourceVersion, and answers 410 Expired for one too old', async () => {
    const list = await c.core.listNode();
    const from = list.metadata!.resourceVersion!;
    await c.core.patchNode(
      { name: 'w-1', body: { metadata: { labels: { resumed: 'yes' } } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    const r = await raw(sim, 'GET', `/api/v1/nodes?watch=true&resourceVersion=${from}&timeoutSeconds=1`, {
      token: sim.tokens.admin,
    });
    const lines = r.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      type: 'MODIFIED',
      object: { kind: 'Node', metadata: { name: 'w-1', labels: { resumed: 'yes' } } },
    });
    const old = await raw(sim, 'GET', '/api/v1/nodes?watch=true&resourceVersion=1&timeoutSeconds=1', {
      token: sim.tokens.admin,
    });
    expect(JSON.parse(old.text.trim())).toMatchObject({
      type: 'ERROR',
      object: { kind: 'Status', code: 410, reason: 'Expired' },
    });
  });
});
