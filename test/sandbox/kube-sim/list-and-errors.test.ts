// Lists with field and label selectors, and the NotFound / AlreadyExists / Invalid /
// BadRequest Status bodies of the real API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { clientsFor, failure, raw, startFast, type Clients } from './helpers.js';

const names = (l: { items: Array<{ metadata?: { name?: string } }> }) =>
  l.items.map((i) => i.metadata?.name ?? '').sort();

describe('kube-sim lists, selectors and error bodies', () => {
  let sim: KubeSim;
  let c: Clients;
  beforeAll(async () => {
    sim = await startFast({
      scenario: {
        namespaces: ['apps'],
        nodes: [{ name: 's-1', role: 'server' }, { name: 'w-1' }, { name: 'w-2' }],
        pvcs: [{ name: 'data', namespace: 'apps', storage: '2Gi' }],
        deployments: [{ name: 'web', namespace: 'apps', replicas: 1 }],
        daemonsets: [{ name: 'svclb' }],
        pods: [
          { name: 'a', node: 'w-1', labels: { app: 'a', tier: 'web' } },
          { name: 'b', node: 'w-1', labels: { app: 'b', tier: 'db' } },
          { name: 'c', node: 'w-2', labels: { app: 'c' } },
          { name: 'done', node: 'w-1', phase: 'Succeeded', labels: { app: 'job' } },
          { name: 'x', namespace: 'apps', node: 'w-2', labels: { app: 'a', tier: 'cache' } },
        ],
      },
    });
    c = clientsFor(sim.kubeconfig);
  });
  afterAll(() => sim.close());

  it('selects pods by node, phase and name with field selectors', async () => {
    const onW1 = names(await c.core.listPodForAllNamespaces({ fieldSelector: 'spec.nodeName=w-1' })).filter(
      (n) => !n.startsWith('svclb-') && !n.startsWith('web-'),
    );
    expect(onW1).toEqual(['a', 'b', 'done']);
    const running = names(
      await c.core.listNamespacedPod({
        namespace: 'default',
        fieldSelector: 'spec.nodeName=w-1,status.phase!=Succeeded,status.phase!=Failed',
      }),
    );
    expect(running).toEqual(['a', 'b']);
    expect(names(await c.core.listNamespacedPod({ namespace: 'default', fieldSelector: 'metadata.name=c' }))).toEqual([
      'c',
    ]);
    expect(names(await c.core.listNamespacedPod({ namespace: 'apps', fieldSelector: 'spec.nodeName==w-2' }))).toEqual([
      'x',
    ]);
    expect(names(await c.core.listNode({ fieldSelector: 'metadata.name=w-2' }))).toEqual(['w-2']);
  });

  it('selects with every label selector operator', async () => {
    const ours = ['a', 'b', 'c', 'done', 'x'];
    const sel = async (labelSelector: string) =>
      names(await c.core.listPodForAllNamespaces({ labelSelector })).filter((n) => ours.includes(n));
    expect(await sel('app=a')).toEqual(['a', 'x']);
    expect(await sel('app==a,tier=web')).toEqual(['a']);
    expect(await sel('app!=a')).toEqual(['b', 'c', 'done']);
    expect(await sel('tier in (web, db)')).toEqual(['a', 'b']);
    expect(await sel('tier notin (web,db)')).toEqual(['c', 'done', 'x']);
    expect(await sel('tier')).toEqual(['a', 'b', 'x']);
    expect(await sel('!tier')).toEqual(['c', 'done']);
    expect(names(await c.core.listNode({ labelSelector: 'node-role.kubernetes.io/control-plane=true' }))).toEqual([
      's-1',
    ]);
  });

  it('answers 400 for a field the resource does not index, as the API does', async () => {
    const f = await failure(c.core.listPodForAllNamespaces({ fieldSelector: 'spec.foo=bar' }));
    expect(f.code).toBe(400);
    expect(f.body).toMatchObject({
      status: 'Failure',
      reason: 'BadRequest',
      message: 'field label not supported: spec.foo',
      code: 400,
    });
    const l = await failure(
      c.coordination.listNamespacedLease({ namespace: 'kube-system', fieldSelector: 'spec.holderIdentity=x' }),
    );
    expect(l.body.message).toBe(
      '"spec.holderIdentity" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it('lists and gets every served resource, in all namespaces and in one', async () => {
    expect(names(await c.core.listNamespace())).toEqual([
      'apps',
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    expect((await c.core.readNamespace({ name: 'apps' })).status?.phase).toBe('Active');
    expect(names(await c.core.listPersistentVolumeClaimForAllNamespaces())).toEqual(['data']);
    const pvc = (await c.core.listNamespacedPersistentVolumeClaim({ namespace: 'apps' })).items[0];
    expect(pvc.status).toMatchObject({ phase: 'Bound', capacity: { storage: '2Gi' } });
    expect(names(await c.apps.listDeploymentForAllNamespaces())).toEqual(['web']);
    expect(names(await c.apps.listNamespacedReplicaSet({ namespace: 'apps' }))).toEqual([
      expect.stringMatching(/^web-[a-z0-9]{10}$/),
    ]);
    expect(names(await c.apps.listDaemonSetForAllNamespaces())).toEqual(['svclb']);
    expect(
      (await c.apps.readNamespacedDaemonSet({ name: 'svclb', namespace: 'kube-system' })).spec?.template.spec
        ?.containers[0].name,
    ).toBe('app');
    expect((await c.policy.listPodDisruptionBudgetForAllNamespaces()).items).toEqual([]);
    expect((await c.coordination.listLeaseForAllNamespaces()).items).toEqual([]);
    const list = await c.core.listNamespacedPod({ namespace: 'default' });
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('pages a list with limit and continue', async () => {
    const all = (await c.core.listNamespacedPod({ namespace: 'default' })).items.map((p) => p.metadata?.name);
    const first = await c.core.listNamespacedPod({ namespace: 'default', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?._continue).toBeTruthy();
    expect(first.metadata?.remainingItemCount).toBe(all.length - 2);
    const rest = await c.core.listNamespacedPod({
      namespace: 'default',
      limit: 100,
      _continue: first.metadata!._continue,
    });
    expect([...first.items, ...rest.items].map((p) => p.metadata?.name)).toEqual(all);
    expect(rest.metadata?._continue).toBeUndefined();
  });

  it('gives NotFound with the real message and details', async () => {
    const f = await failure(c.core.readNamespacedPod({ name: 'nope', namespace: 'default' }));
    expect(f.code).toBe(404);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', kind: 'pods' },
      code: 404,
    });
    const d = await failure(c.apps.readNamespacedDeployment({ name: 'nope', namespace: 'default' }));
    expect(d.body.message).toBe('deployments.apps "nope" not found');
    expect(d.body.details).toEqual({ name: 'nope', group: 'apps', kind: 'deployments' });
  });

  it('refuses to create in a namespace that does not exist', async () => {
    const f = await failure(
      c.core.createNamespacedPod({
        namespace: 'ghost',
        body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      }),
    );
    expect(f.code).toBe(404);
    expect(f.body.message).toBe('namespaces "ghost" not found');
  });

  it('creates with uid, resourceVersion and creationTimestamp; a second create is AlreadyExists', async () => {
    const body = { metadata: { name: 'new' }, spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] } };
    const pod = await c.core.createNamespacedPod({ namespace: 'default', body });
    expect(pod.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(pod.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect(pod.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(pod.status?.phase).toBe('Pending');
    // DefaultTolerationSeconds admission adds these to every pod.
    expect(pod.spec?.tolerations).toContainEqual({
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 300,
    });
    const f = await failure(c.core.createNamespacedPod({ namespace: 'default', body }));
    expect(f.code).toBe(409);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'pods "new" already exists',
      reason: 'AlreadyExists',
      details: { name: 'new', kind: 'pods' },
      code: 409,
    });
    // The scheduler binds it and the kubelet starts it.
    const running = await sim.waitFor(() => {
      const p = sim.get('pods', 'default', 'new');
      return p?.status.phase === 'Running' && p;
    });
    expect(running.spec.nodeName).toMatch(/^(s-1|w-1|w-2)$/);
  });

  it('answers 422 Invalid with causes where the API validates', async () => {
    const f = await failure(
      c.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'bad' }, spec: { containers: [] } },
      }),
    );
    expect(f.code).toBe(422);
    expect(f.body).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'Pod "bad" is invalid: spec.containers: Required value',
      reason: 'Invalid',
      details: {
        name: 'bad',
        kind: 'Pod',
        causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }],
      },
      code: 422,
    });
    const n = await failure(
      c.core.createNamespacedPod({
        namespace: 'default',
        body: { metadata: { name: 'Bad_Name' }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      }),
    );
    expect(n.body.message).toMatch(
      /^Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain/,
    );
    const t = await failure(
      c.core.patchNode(
        { name: 'w-1', body: { spec: { taints: [{ key: 'k', effect: 'Sometimes' }] } } },
        (await import('./helpers.js')).mergePatch,
      ),
    );
    // transcript 07: the taints are checked under metadata.taints, twice on an update (one message, two causes).
    expect(t.body.message).toBe(
      'Node "w-1" is invalid: metadata.taints[0].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
    );
    expect(t.body.details.causes).toHaveLength(2);
  });

  it('answers the plain 404 for unknown paths and a Status 404 for unknown resources', async () => {
    const token = sim.tokens.admin;
    const plain = await raw(sim, 'GET', '/apis/nope.example.com/v1/things', { token });
    expect(plain.status).toBe(404);
    expect(plain.text).toBe('404 page not found\n');
    const res = await raw(sim, 'GET', '/api/v1/widgets', { token });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({
      kind: 'Status',
      reason: 'NotFound',
      message: 'the server could not find the requested resource',
    });
  });

  it('serves discovery, health and version', async () => {
    const token = sim.tokens.admin;
    expect((await raw(sim, 'GET', '/healthz', { token })).text).toBe('ok');
    expect((await raw(sim, 'GET', '/readyz', { token })).text).toBe('ok');
    expect((await raw(sim, 'GET', '/api', { token })).json.versions).toEqual(['v1']);
    const groups = (await raw(sim, 'GET', '/apis', { token })).json.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(['apps', 'policy', 'coordination.k8s.io']);
    const core = (await raw(sim, 'GET', '/api/v1', { token })).json.resources;
    expect(core).toContainEqual({
      name: 'pods/eviction',
      singularName: '',
      namespaced: true,
      group: 'policy',
      version: 'v1',
      kind: 'Eviction',
      verbs: ['create'],
    });
    const policy = (await raw(sim, 'GET', '/apis/policy/v1', { token })).json;
    expect(policy.resources.map((r: { name: string }) => r.name)).toContain('poddisruptionbudgets');
    expect((await raw(sim, 'GET', '/apis/coordination.k8s.io/v1', { token })).json.resources[0]).toMatchObject({
      name: 'leases',
      kind: 'Lease',
      namespaced: true,
    });
    const v = await c.version.getCode();
    expect(v).toMatchObject({ major: '1', minor: '31', gitVersion: 'v1.31.4+k3s1' });
  });
});
