// Authentication and authorization: the k3s-style client-certificate kubeconfig, bearer
// tokens, and the API server's 401 and 403 Status bodies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, failure, mergePatch, raw, startFast, twoWorkers } from './helpers.js';

describe('kube-sim authentication and authorization', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startFast({
      scenario: twoWorkers,
      users: [
        {
          name: 'cordoner',
          token: 'cordoner-token',
          role: { rules: [{ verbs: ['get', 'list', 'patch'], resources: ['nodes'] }] },
        },
      ],
    });
  });
  afterAll(() => sim.close());

  it('writes a kubeconfig shaped like k3s.yaml, with inline CA and client certificate', () => {
    const kc = parse(sim.kubeconfig);
    const cluster = kc.clusters[0].cluster;
    expect(cluster.server).toBe(sim.url);
    expect(Buffer.from(cluster['certificate-authority-data'], 'base64').toString()).toContain('BEGIN CERTIFICATE');
    const user = kc.users[0].user;
    expect(Buffer.from(user['client-certificate-data'], 'base64').toString()).toContain('BEGIN CERTIFICATE');
    expect(Buffer.from(user['client-key-data'], 'base64').toString()).toContain('PRIVATE KEY');
    expect(user.token).toBeUndefined();
    expect(kc['current-context']).toBe('default');
  });

  it('accepts the client certificate over verified TLS and knows it as system:admin', async () => {
    const c = clientsFor(sim.kubeconfig);
    const nodes = await c.core.listNode();
    expect(nodes.items.map((n) => n.metadata?.name)).toEqual(['s-1', 'w-1', 'w-2']);
    expect(sim.requests().at(-1)?.user).toBe('system:admin');
  });

  it('accepts a bearer token kubeconfig', async () => {
    const kc = parse(sim.kubeconfigFor('admin'));
    expect(kc.users[0].user.token).toBe(sim.tokens.admin);
    const c = clientsFor(sim.kubeconfigFor('admin'));
    await c.core.patchNode({ name: 'w-2', body: { metadata: { labels: { zone: 'b' } } } }, mergePatch);
    expect(sim.get('nodes', undefined, 'w-2')?.metadata.labels?.zone).toBe('b');
    expect(sim.requests().at(-1)?.user).toBe('admin');
  });

  it('answers 401 with an Unauthorized Status without credentials or with a wrong token', async () => {
    for (const token of [undefined, 'not-a-token']) {
      const r = await raw(sim, 'GET', '/api/v1/nodes', { token });
      expect(r.status).toBe(401);
      expect(r.json).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'Unauthorized',
        reason: 'Unauthorized',
        code: 401,
      });
    }
    // k3s runs kube-apiserver with --anonymous-auth=false: even /version needs credentials.
    expect((await raw(sim, 'GET', '/version')).status).toBe(401);
  });

  it('lets the read-only viewer read, and refuses its writes with the real 403 Status', async () => {
    const viewer = clientsFor(sim.kubeconfigFor('viewer'));
    const node = await viewer.core.readNode({ name: 'w-1' });
    expect(node.metadata?.name).toBe('w-1');
    const f = await failure(
      viewer.core.patchNode({ name: 'w-1', body: { spec: { unschedulable: true } } }, mergePatch),
    );
    expect(f.code).toBe(403);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'nodes "w-1" is forbidden: User "viewer" cannot patch resource "nodes" in API group "" at the cluster scope',
      reason: 'Forbidden',
      details: { name: 'w-1', kind: 'nodes' },
      code: 403,
    });
    expect(sim.get('nodes', undefined, 'w-1')?.spec.unschedulable).toBeUndefined();
  });

  it('names the subresource, the group and the namespace in a 403', async () => {
    const viewer = clientsFor(sim.kubeconfigFor('viewer'));
    const e = await failure(
      viewer.core.createNamespacedPodEviction({ name: 'p', namespace: 'default', body: { metadata: { name: 'p' } } }),
    );
    expect(e.body.message).toBe(
      'pods "p" is forbidden: User "viewer" cannot create resource "pods/eviction" in API group "" in the namespace "default"',
    );
    const l = await failure(
      viewer.coordination.createNamespacedLease({
        namespace: 'kube-system',
        body: { metadata: { name: 'lock' }, spec: {} },
      }),
    );
    expect(l.body.message).toBe(
      'leases.coordination.k8s.io is forbidden: User "viewer" cannot create resource "leases" in API group "coordination.k8s.io" in the namespace "kube-system"',
    );
    expect(l.body.details).toEqual({ group: 'coordination.k8s.io', kind: 'leases' });
  });

  it('applies explicit rules: a user allowed to patch nodes but not to evict', async () => {
    const c = clientsFor(sim.kubeconfigFor('cordoner'));
    await c.core.patchNode({ name: 'w-2', body: { spec: { unschedulable: true } } }, mergePatch);
    expect(sim.get('nodes', undefined, 'w-2')?.spec.unschedulable).toBe(true);
    const f = await failure(c.core.deleteNode({ name: 'w-2' }));
    expect(f.body.message).toBe(
      'nodes "w-2" is forbidden: User "cordoner" cannot delete resource "nodes" in API group "" at the cluster scope',
    );
  });

  it('issues client certificates for other users too', async () => {
    const c = clientsFor(sim.kubeconfigFor('viewer', 'cert'));
    await c.core.listNode();
    expect(sim.requests().at(-1)?.user).toBe('viewer');
    const f = await failure(c.core.deleteNode({ name: 'w-1' }));
    expect(f.code).toBe(403);
  });

  it('rejects a client certificate from another CA', async () => {
    const other = await startFast({
      scenario: twoWorkers,
      pki: (await import('../../../sandbox/kube-sim/index.js')).createPki(),
    });
    try {
      // The other simulator's kubeconfig, pointed at this one: its CA does not match our server either.
      const kc = parse(other.kubeconfig);
      kc.clusters[0].cluster['certificate-authority-data'] = Buffer.from(sim.caPem).toString('base64');
      kc.clusters[0].cluster.server = sim.url;
      const { stringify } = await import('yaml');
      const f = await failure(clientsFor(stringify(kc)).core.listNode());
      expect(f.code).toBe(401);
    } finally {
      await other.close();
    }
  });
});
