import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { assertModule } from '../../modules/control/assert.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(assertModule, path.join(import.meta.dirname, 'assert'));

describe('assert against real variables', () => {
  const vars = { version: 'v1.32.5+k3s1', ready: 3, total: 3, role: 'agent', upgraded: true };

  it('passes when every condition holds', async () => {
    const r = await runModule(
      assertModule,
      { that: ['(eq ready total)', 'upgraded', '(startswith version "v1.32")'] },
      { vars },
    );
    expect(r).toMatchObject({ status: 'ok', msg: 'All assertions passed' });
  });

  it('fails on the first condition that does not hold, naming it', async () => {
    const r = await runModule(assertModule, { that: ['(eq ready total)', '(eq role "server")', '(eq 1 2)'] }, { vars });
    expect(r).toMatchObject({
      status: 'failed',
      msg: 'assertion failed: (eq role "server")',
      data: { assertion: '(eq role "server")', evaluated_to: false, refused: true },
    });
  });

  it('fails the same in check mode (an assert guards what follows), and again on a second run', async () => {
    for (const check of [true, false]) {
      const r = await runModule(
        assertModule,
        { that: '(gt ready 5)', fail_msg: 'not enough nodes ready' },
        { vars },
        { check },
      );
      expect(r).toMatchObject({ status: 'failed', msg: 'not enough nodes ready' });
    }
  });

  it('an undefined variable is an error naming it, not a false condition', async () => {
    await expect(runModule(assertModule, { that: '(eq missing_var 1)' }, { vars })).rejects.toThrow(/missing_var/);
  });
});
