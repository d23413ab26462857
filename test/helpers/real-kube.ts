// The real-Kubernetes tier of the tests: one control plane per test file, started in
// beforeAll and stopped in afterAll (also when a test failed or timed out). Where the
// binaries are missing (a fresh clone has no ../shared) the tier skips with one line saying
// why; with HERDBOOK_REQUIRE_REAL_KUBE=1 (CI) it fails instead.
import { closeSync, openSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createKubeFactory } from '../../engine/kube/clients.js';
import type { KubeClient } from '../../engine/kube/types.js';
import {
  kubeBinariesUnavailable,
  startRealKube,
  type RealKube,
  type RealKubeOptions,
} from '../../sandbox/real-kube/index.js';

type Truthy<T> = Exclude<T, false | 0 | '' | null | undefined>;

export type RealKubeAvailability = { ok: true } | { ok: false; why: string };

export const realKubeRequired = (): boolean => process.env.HERDBOOK_REQUIRE_REAL_KUBE === '1';

export async function realKubeAvailable(): Promise<RealKubeAvailability> {
  const why = await kubeBinariesUnavailable();
  return why ? { ok: false, why } : { ok: true };
}

/** True for the first caller in this vitest run: workers are forks of one process, so its pid names the run. */
function firstInRun(): boolean {
  try {
    closeSync(openSync(path.join(os.tmpdir(), `herdbook-real-kube-skipped-${process.ppid}`), 'wx'));
    return true;
  } catch {
    return false;
  }
}

/** One line for the whole tier, not one per file. */
export function reportSkipOnce(why: string): void {
  if (firstInRun()) process.stderr.write(`real Kubernetes tier skipped: ${why}\n`);
}

/**
 * describe() for tests that need a real control plane. Without binaries: skipped, and one
 * line on stderr says why; with HERDBOOK_REQUIRE_REAL_KUBE=1, one failing test says why.
 */
export async function describeRealKube(name: string, body: () => void): Promise<void> {
  const a = await realKubeAvailable();
  if (a.ok) {
    describe(name, body);
  } else if (realKubeRequired()) {
    describe(name, () => {
      it('has a real Kubernetes control plane (HERDBOOK_REQUIRE_REAL_KUBE=1)', () => {
        throw new Error(`HERDBOOK_REQUIRE_REAL_KUBE=1 but ${a.why}`);
      });
    });
  } else {
    reportSkipOnce(a.why);
    describe.skip(`${name} (skipped: ${a.why})`, body);
  }
}

/** A control plane for this file's tests; call inside describeRealKube. The getter throws before beforeAll ran. */
export function startRealKubeForFile(options: RealKubeOptions = {}): () => RealKube {
  let kube: RealKube | undefined;
  beforeAll(async () => {
    kube = await startRealKube(options);
  }, 240_000);
  afterAll(async () => {
    await kube?.close();
  }, 30_000);
  return () => {
    if (!kube) throw new Error('the real control plane did not start (see beforeAll)');
    return kube;
  };
}

/**
 * herdbook's KubeClient for the control plane, built from a kubeconfig file like a user's: the
 * one in its state directory, which goes with it (no temporary file to clean up, so it may be
 * called from a hook or a test). `admin`, `viewer`, or one of the options' users (its file
 * written there on first use).
 */
export function kubeClientFor(kube: RealKube, user = 'admin'): Promise<KubeClient> {
  const file = user === 'admin' ? kube.kubeconfigPath : path.join(kube.stateDir, `kubeconfig-${user}.yaml`);
  if (user !== 'admin' && user !== 'viewer') writeFileSync(file, kube.kubeconfigFor(user), { mode: 0o600 });
  const factory = createKubeFactory({
    connection: () => Promise.reject(new Error('no hosts here')),
    settings: (h) => ({ kind: 'ssh', host: h }),
  });
  return factory({ kubeconfig: file });
}

/** Polls until `check` gives a truthy value; the real controllers act in their own time. */
export async function eventually<T>(check: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v as Truthy<T>;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(
        `timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`,
      );
    await sleep(200);
  }
}
