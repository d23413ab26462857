// What the recording did between the exchanges without recording it (the transcripts' README:
// node rec-node-1, namespace transcripts, pods web-1, web-2 and solo, PDB web-pdb), as plain
// API requests, so the same script prepares kube-sim or a real cluster; and who sent each
// exchange (30 without credentials, 31 as the user jane, who has no RBAC rights).
import { send, type As, type Received, type Target } from './client.js';

export type Step = (target: Target) => Promise<void>;

const NS = 'transcripts';
const merge = { 'content-type': 'application/merge-patch+json' };
const json = { 'content-type': 'application/json' };

async function must(p: Promise<Received>, ok: number[], what: string): Promise<Received> {
  const r = await p;
  if (!ok.includes(r.status)) throw new Error(`replay setup: ${what}: ${r.status} ${r.text.slice(0, 300)}`);
  return r;
}

/** Polls a GET until `done` holds for the answer: a real cluster's controllers take a moment. */
async function until(target: Target, path: string, done: (r: Received) => boolean, what: string): Promise<void> {
  const end = Date.now() + 60_000;
  for (;;) {
    if (done(await send(target, { method: 'GET', path }))) return;
    if (Date.now() > end) throw new Error(`replay setup: timed out waiting for ${what}`);
    await new Promise((res) => setTimeout(res, 100));
  }
}

/** The fields of an answer that setup steps wait on. */
type Answered = {
  metadata?: { annotations?: Record<string, string>; deletionTimestamp?: string };
  status?: { observedGeneration?: number; expectedPods?: number };
};

/** Until the object answers 200 and `done` holds for it. */
const waitFor = (target: Target, path: string, done: (o: Answered) => boolean, what: string) =>
  until(target, path, (r) => r.status === 200 && done(r.body as Answered), what);

const pod = (name: string, image: string, labels?: Record<string, string>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: NS, ...(labels ? { labels } : {}) },
  spec: { nodeName: 'rec-node-1', containers: [{ name: 'c', image }] },
});

/** Before the first exchange: a new namespace (an old one finishes terminating first), no node of that name. */
export const beforeAll: Step = async (t) => {
  await must(send(t, { method: 'DELETE', path: '/api/v1/nodes/rec-node-1' }), [200, 404], 'deleting an old rec-node-1');
  await must(
    send(t, { method: 'DELETE', path: `/api/v1/namespaces/${NS}` }),
    [200, 404, 409],
    'deleting an old namespace',
  );
  await until(t, `/api/v1/namespaces/${NS}`, (r) => r.status === 404, 'the old namespace to go');
  await must(
    send(t, {
      method: 'POST',
      path: '/api/v1/namespaces',
      headers: json,
      body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } },
    }),
    [201],
    'creating the namespace',
  );
  // Pods can be created once the namespace's default ServiceAccount exists (a controller makes it;
  // kube-sim serves no ServiceAccounts, and says so with a 404 that names no object).
  const made = (r: Received) =>
    r.status === 200 || (r.status === 404 && !(r.body as { details?: { name?: string } })?.details?.name);
  await until(t, `/api/v1/namespaces/${NS}/serviceaccounts/default`, made, 'the default ServiceAccount');
};

export const afterAll: Step = async (t) => {
  await send(t, { method: 'DELETE', path: `/api/v1/namespaces/${NS}` });
  await send(t, { method: 'DELETE', path: '/api/v1/nodes/rec-node-1' });
};

/** Steps to run before the exchange of that name. */
export const BEFORE: Record<string, Step> = {
  // The TTL controller annotates a new node at once (transcript 04 shows its managedFields entry).
  'node-cordon-strategic': (t) =>
    waitFor(
      t,
      '/api/v1/nodes/rec-node-1',
      (n) => n.metadata?.annotations?.['node.alpha.kubernetes.io/ttl'] !== undefined,
      'the TTL annotation',
    ),
  // Someone renewed the Lease after transcript 16, so the resourceVersion 18 sends is stale.
  'lease-replace-stale': async (t) => {
    const path = `/apis/coordination.k8s.io/v1/namespaces/${NS}/leases/herdbook-lock`;
    await must(
      send(t, { method: 'PATCH', path, headers: merge, body: { spec: { renewTime: '2026-12-05T14:35:21.000000Z' } } }),
      [200],
      'renewing the lease',
    );
  },
  // Pods bound to the tainted node (the taint manager marks them for deletion) and their budget.
  'evict-unready-despite-pdb': async (t) => {
    for (const p of [
      pod('web-1', 'registry.invalid/web:1', { app: 'web' }),
      pod('web-2', 'registry.invalid/web:1', { app: 'web' }),
      pod('solo', 'registry.invalid/solo:1'),
    ]) {
      await must(
        send(t, { method: 'POST', path: `/api/v1/namespaces/${NS}/pods`, headers: json, body: p }),
        [201],
        `creating pod ${p.metadata.name}`,
      );
    }
    const pdb = {
      apiVersion: 'policy/v1',
      kind: 'PodDisruptionBudget',
      metadata: { name: 'web-pdb', namespace: NS },
      spec: { minAvailable: 2, selector: { matchLabels: { app: 'web' } } },
    };
    await must(
      send(t, {
        method: 'POST',
        path: `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets`,
        headers: json,
        body: pdb,
      }),
      [201],
      'creating the PDB',
    );
    await waitFor(
      t,
      `/apis/policy/v1/namespaces/${NS}/poddisruptionbudgets/web-pdb`,
      (b) => b.status?.observedGeneration === 1 && b.status?.expectedPods === 2,
      'the PDB status',
    );
    for (const name of ['web-1', 'web-2', 'solo']) {
      await waitFor(
        t,
        `/api/v1/namespaces/${NS}/pods/${name}`,
        (p) => Boolean(p.metadata?.deletionTimestamp),
        `the taint manager on ${name}`,
      );
    }
  },
};

/** Who sends each exchange; the admin otherwise. */
export const SENDER: Record<string, As> = {
  unauthenticated: 'anonymous',
  'impersonated-forbidden': { impersonate: 'jane' },
};
