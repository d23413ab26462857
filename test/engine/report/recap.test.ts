import { describe, expect, it } from 'vitest';
import { NO_PAINT } from '../../../engine/report/diagnostics.js';
import { emptyCounts } from '../../../engine/report/events.js';
import { formatRecap } from '../../../engine/report/recap.js';

describe('recap', () => {
  it('adds the unknown column only when used, and says changes pending, why it stopped, and what stays cordoned', () => {
    const text = formatRecap(
      {
        type: 'recap',
        hosts: {
          'server-1': { ...emptyCounts(), ok: 3, unknown: 2 },
          'w-1': { ...emptyCounts(), failed: 1, rescued: 1 },
        },
        check: true,
        duration_ms: 61_000,
        changes_pending: true,
        stopped_reason: 'batch 1/2 (w-1): 1 of 1 host failed',
        cordoned: [{ node: 'w-1', reason: 'drained for the upgrade, which failed' }],
      },
      NO_PAINT,
    );
    expect(text.split('\n')).toEqual([
      'RECAP  (DRY RUN: nothing was changed)  61.0s',
      'host       ok  changed  unreachable  failed  skipped  rescued  ignored  unknown',
      'server-1    3        0            0       0        0        0        0        2',
      'w-1         0        0            0       1        0        1        0        0',
      'changes pending: a real run would change something',
      'STOPPED: batch 1/2 (w-1): 1 of 1 host failed',
      'nodes left cordoned by this run (uncordon them when safe: herdbook run playbooks/... or kubectl uncordon):',
      '  w-1: drained for the upgrade, which failed',
    ]);
  });
});
