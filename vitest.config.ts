import { readFileSync } from 'node:fs';
import os from 'node:os';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

/**
 * How much real time a file spends waiting on real processes: playbooks on a whole sandbox (on
 * both API servers) and the conformance suite (every case through ansible-playbook), real
 * control planes, sshd fleets. Known from its source, so a fresh clone
 * (CI: no vitest cache of durations) starts the long files first instead of ending on them.
 */
function weight(file: string): number {
  const src = readFileSync(file, 'utf8');
  if (/\bdescribeSandboxes\(/.test(src) || /\brunCase\(/.test(src)) return 3;
  if (/\b(describeBackends|describeRealKube|startRealKubeForFile)\(/.test(src)) return 2;
  if (/\b(fleetFor|testFleet|startFleet|sandboxFor)\(/.test(src)) return 1;
  return 0;
}

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const w = new Map(sorted.map((f) => [f.moduleId, weight(f.moduleId)]));
    // Stable: within a weight, vitest's own order (failed first, then longest by its cache, then largest).
    return sorted.sort((a, b) => w.get(b.moduleId)! - w.get(a.moduleId)!);
  }
}

// The suite waits on sshd, real control planes and their clocks far more than it computes:
// vitest's default (cores - 1: one worker on CI's 2 cores) leaves the machine idle.
// HERDBOOK_TEST_WORKERS overrides.
const workers = Number(process.env.HERDBOOK_TEST_WORKERS) || Math.max(4, os.availableParallelism());

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/helpers/machine-users.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: workers,
    sequence: { sequencer: LongestFirst },
  },
});
