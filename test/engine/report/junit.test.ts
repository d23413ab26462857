import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { junitReporter, renderJunit } from '../../../engine/report/junit.js';
import { tempTree } from '../../helpers/tmp.js';

describe('junit', () => {
  it('has a testcase per host and task: failures, unreachable as errors, skips, escaping', () => {
    const xml = renderJunit(
      [
        {
          play: 'Up <grade>',
          name: 'Drain',
          host: 'w-1',
          seconds: 1.5,
          status: 'failed',
          msg: 'pdb "web" blocks & waits',
          where: 'p.yaml:3',
        },
        {
          play: 'Up <grade>',
          name: 'Drain',
          host: 'w-2',
          seconds: 0,
          status: 'unreachable',
          msg: 'connection refused',
          where: 'p.yaml:3',
        },
        { play: 'Up <grade>', name: 'Drain', host: 'w-3', seconds: 0, status: 'skipped', where: 'p.yaml:3' },
        {
          play: 'Up <grade>',
          name: 'Drain',
          host: 'w-4',
          seconds: 2,
          status: 'changed',
          msg: 'drained\u0007',
          where: 'p.yaml:3',
        },
      ],
      'batch 1 failed',
    );
    expect(xml).toContain(
      '<testsuite name="Up &lt;grade&gt;" tests="4" failures="1" errors="1" skipped="1" time="3.500">',
    );
    expect(xml).toContain('<failure message="pdb &quot;web&quot; blocks &amp; waits">');
    expect(xml).toContain('<error type="unreachable" message="connection refused">');
    expect(xml).toContain('<system-out>changed: drained</system-out>');
    expect(xml).toContain('<!-- stopped: batch 1 failed -->');
  });

  it('writes the file on close, creating its folder', async () => {
    const dir = tempTree({});
    const file = path.join(dir, 'reports/run.xml');
    const r = junitReporter(file);
    r.emit({
      type: 'task_result',
      play: 'p',
      task: 't',
      host: 'h',
      status: 'failed',
      batch: 1,
      duration_ms: 10,
      where: 'p.yaml:1',
      ignored: true,
    });
    await r.close();
    // An ignored failure is not a failing test.
    expect(readFileSync(file, 'utf8')).toMatch(/tests="1" failures="0"/);
  });
});
