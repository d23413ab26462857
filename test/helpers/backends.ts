// Runs a suite once per API server: kube-sim, then the real kube-apiserver (skipped with one
// line where its binaries are absent, unless HERDBOOK_REQUIRE_REAL_KUBE=1 says CI must have it).
import { afterAll, beforeAll, describe, it } from 'vitest';
import { binarySource, findEtcd } from '../../sandbox/real-kube/binaries.js';
import type { BackendOptions, KubeBackend } from './kube-backend.js';
import { realBackend } from './kube-backend-real.js';
import { simBackend } from './kube-backend-sim.js';
import { realKubeRequired, reportSkipOnce } from './real-kube.js';
import { runCleanups, teardownScope, type Cleanup } from './teardown.js';

export type BackendName = KubeBackend['name'];

export const BACKEND_NAMES: BackendName[] = ['kube-sim', 'real'];

/** Why the real tier cannot run here (no etcd, no binaries), from the file system only; a bad archive fails at start instead. */
export function realUnavailable(): string | undefined {
  if (!findEtcd()) return 'no etcd on the PATH (Debian: apt-get install etcd-server; or set HERDBOOK_ETCD)';
  const source = binarySource();
  return source.kind === 'none' ? source.why : undefined;
}

type Starter = { name: BackendName; start(o: BackendOptions): Promise<KubeBackend> };

const STARTERS: Starter[] = [
  { name: 'kube-sim', start: simBackend },
  { name: 'real', start: realBackend },
];

/**
 * `describe(title [backend])` for each backend name, the real one skipped with one line where it
 * cannot run, or one failing test under HERDBOOK_REQUIRE_REAL_KUBE=1. `timeout` is each test's.
 */
export function describePerBackend(
  title: string,
  body: (name: BackendName) => void,
  options: { timeout?: number; backends?: BackendName[] } = {},
): void {
  for (const name of options.backends ?? BACKEND_NAMES) {
    const why = name === 'real' ? realUnavailable() : undefined;
    if (why && realKubeRequired()) {
      describe(`${title} [${name}]`, () =>
        it('has a real Kubernetes control plane (HERDBOOK_REQUIRE_REAL_KUBE=1)', () => {
          throw new Error(`HERDBOOK_REQUIRE_REAL_KUBE=1 but ${why}`);
        }));
      continue;
    }
    if (why) reportSkipOnce(why);
    (why ? describe.skip : describe)(`${title} [${name}]`, { timeout: options.timeout }, () => body(name));
  }
}

/**
 * `describe(title [backend])` for each backend; `b()` is the started backend inside the tests.
 * Options may depend on the backend (a pod that takes 40 simulated seconds to stop is 0.8 s on
 * kube-sim; the real kubelets count real ones), and may be made asynchronously, inside the
 * suite's beforeAll (a fleet of sshd nodes per backend, whose commands report the versions).
 * What the options function and the backend start (helpers that call teardown()) is stopped
 * in the suite's afterAll, before the next backend's suite starts.
 */
export function describeBackends(
  title: string,
  options: BackendOptions | ((name: BackendName) => BackendOptions | Promise<BackendOptions>),
  body: (b: () => KubeBackend) => void,
): void {
  describePerBackend(title, (name) => {
    const s = STARTERS.find((x) => x.name === name)!;
    let backend: KubeBackend | undefined;
    const cleanups: Cleanup[] = [];
    beforeAll(
      () =>
        teardownScope(cleanups, async () => {
          backend = await s.start(typeof options === 'function' ? await options(s.name) : options);
        }),
      240_000,
    );
    afterAll(() => runCleanups(cleanups), 120_000);
    body(() => {
      if (!backend) throw new Error(`the ${s.name} backend did not start`);
      return backend;
    });
  });
}
