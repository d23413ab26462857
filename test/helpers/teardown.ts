// Teardown for what a helper starts (a simulator, a control plane, a fleet, a temporary
// directory), wherever it is called. vitest silently drops an afterAll registered while a hook
// or a test runs (it lands on the file's collector after collection, and is never called), so
// helpers called from a beforeAll must not use afterAll: they call teardown(), which runs the
// cleanup after the enclosing teardownScope (describeBackends' suite per backend), or else
// after the file.
import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll } from 'vitest';

export type Cleanup = () => unknown;

const scope = new AsyncLocalStorage<Cleanup[]>();
const fileCleanups: Cleanup[] = [];

/** Runs the cleanups newest first; every one runs, the first failure is thrown after. */
export async function runCleanups(cleanups: Cleanup[]): Promise<void> {
  let failed = false;
  let failure: unknown;
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c();
    } catch (e) {
      if (!failed) [failed, failure] = [true, e];
    }
  }
  if (failed) throw failure;
}

// Registered while the test file is collected (helpers are imported at its top): the file's own afterAll.
afterAll(() => runCleanups(fileCleanups), 120_000);

/** Runs `fn` after the enclosing teardownScope, or after the file's tests. */
export function teardown(fn: Cleanup): void {
  (scope.getStore() ?? fileCleanups).push(fn);
}

/** Runs `body` (and everything it starts, however deep) with `cleanups` as where teardown() puts its work. */
export function teardownScope<T>(cleanups: Cleanup[], body: () => T): T {
  return scope.run(cleanups, body);
}
