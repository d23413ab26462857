// Runs a suite once per API server: kube-sim, then the real kube-apiserver (skipped with one
// line where its binaries are absent, unless HERDBOOK_REQUIRE_REAL_KUBE=1 says CI must have it).
import { beforeAll, describe } from 'vitest';
import type { BackendOptions, KubeBackend } from './kube-backend.js';
import { simBackend } from './kube-backend-sim.js';

export type BackendName = KubeBackend['name'];

type Starter = { name: BackendName; skip?: string; start(o: BackendOptions): Promise<KubeBackend> };

const starters: Starter[] = [{ name: 'kube-sim', start: simBackend }];

/** `describe(title [backend])` for each backend; `b()` is the started backend inside the tests. */
export function describeBackends(title: string, options: BackendOptions | (() => BackendOptions), body: (b: () => KubeBackend) => void): void {
  for (const s of starters) {
    const suite = s.skip ? describe.skip : describe;
    suite(`${title} [${s.name}]`, () => {
      let backend: KubeBackend | undefined;
      beforeAll(async () => {
        backend = await s.start(typeof options === 'function' ? options() : options);
      }, 180_000);
      body(() => {
        if (!backend) throw new Error(`the ${s.name} backend did not start`);
        return backend;
      });
    });
  }
}
