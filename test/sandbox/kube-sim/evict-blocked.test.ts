// The exchange the reference transcripts lack, recorded by us from the real kube-apiserver
// v1.32.13 (test/fixtures/kube-api/33-evict-blocked-by-pdb.json): evicting a Ready pod whose
// budget allows no disruption is 429 TooManyRequests with the DisruptionBudget cause. Both
// API servers must answer it word for word.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { describeBackends } from '../../helpers/backends.js';
import { rawClient } from '../../helpers/kube-raw.js';

const recorded = JSON.parse(
  readFileSync(path.join(import.meta.dirname, '../../fixtures/kube-api/33-evict-blocked-by-pdb.json'), 'utf8'),
) as {
  response: { status: number; headers: Record<string, string>; body: Record<string, unknown> };
};

describeBackends(
  'eviction blocked by a budget (recorded 429)',
  {
    scenario: {
      nodes: [{ name: 'w-1', role: 'agent' }],
      deployments: [{ name: 'web', replicas: 2, pdb: { name: 'web-pdb', minAvailable: 2 } }],
    },
  },
  (b) => {
    it('answers 429 with the DisruptionBudget cause, as recorded', async () => {
      await b().waitFor(
        async () => (await b().get('poddisruptionbudgets.policy', 'default', 'web-pdb'))?.status?.currentHealthy === 2,
        60_000,
        'both web pods healthy',
      );
      const pod = (await b().list('pods', 'default'))[0].metadata.name as string;
      // The answer is the kubeconfig user's; a raw POST keeps its headers and body as sent.
      const raw = rawClient(b().kubeconfig);
      const r = await raw.post(`/api/v1/namespaces/default/pods/${pod}/eviction`, {
        apiVersion: 'policy/v1',
        kind: 'Eviction',
        metadata: { name: pod, namespace: 'default' },
      });
      expect(r.status).toBe(recorded.response.status);
      expect(r.headers['content-type']).toBe(recorded.response.headers['content-type']);
      expect(r.body).toEqual(recorded.response.body);
    });
  },
);
