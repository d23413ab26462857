// Requests without credentials and impersonated ones: k3s turns anonymous auth off (401,
// auth.test.ts); with it on, system:anonymous meets RBAC (403, transcript 30). An admin may
// act as another user, who then has that user's rights (transcript 31).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeSim } from '../../../sandbox/kube-sim/index.js';
import { startFast } from './helpers.js';
import { send } from '../../../sandbox/kube-sim/replay/client.js';

describe('kube-sim with anonymous authentication on', () => {
  let sim: KubeSim;
  beforeAll(async () => {
    sim = await startFast({
      anonymousAuth: true,
      users: [{ name: 'jane', role: { rules: [] } }],
      scenario: { nodes: [{ name: 'w-1' }] },
    });
  });
  afterAll(() => sim.close());
  const target = () => ({ url: sim.url, ca: sim.caPem, token: sim.tokens.admin });

  it('answers system:anonymous with 403, but lets it read /version', async () => {
    const r = await send(target(), { method: 'GET', path: '/api/v1/nodes' }, 'anonymous');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      reason: 'Forbidden',
      message:
        'nodes is forbidden: User "system:anonymous" cannot list resource "nodes" in API group "" at the cluster scope',
      details: { kind: 'nodes' },
    });
    expect((await send(target(), { method: 'GET', path: '/version' }, 'anonymous')).status).toBe(200);
    expect((await send(target(), { method: 'GET', path: '/api' }, 'anonymous')).status).toBe(403);
  });

  it('acts as the impersonated user, and refuses impersonation to anyone but an admin', async () => {
    const r = await send(
      target(),
      {
        method: 'PATCH',
        path: '/api/v1/nodes/w-1',
        headers: { 'content-type': 'application/merge-patch+json' },
        body: { spec: { unschedulable: true } },
      },
      { impersonate: 'jane' },
    );
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({
      message:
        'nodes "w-1" is forbidden: User "jane" cannot patch resource "nodes" in API group "" at the cluster scope',
      details: { name: 'w-1', kind: 'nodes' },
    });
    const viewer = await send(
      { ...target(), token: sim.tokens.viewer },
      { method: 'GET', path: '/api/v1/nodes' },
      { impersonate: 'admin' },
    );
    expect(viewer.status).toBe(403);
    expect((viewer.body as { message: string }).message).toBe(
      'users "admin" is forbidden: User "viewer" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });
});
