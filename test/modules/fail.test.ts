import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fail } from '../../modules/control/fail.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(fail, path.join(import.meta.dirname, 'fail'));

describe('fail', () => {
  it('fails with its message, in check mode as well, every time', async () => {
    for (const check of [false, true, false]) {
      const r = await runModule(fail, { msg: 'stop here' }, {}, { check });
      expect(r).toMatchObject({ status: 'failed', msg: 'stop here' });
    }
  });

  it('uses the default message', async () => {
    expect((await runModule(fail, {}, {})).msg).toBe('Failed as requested from task');
  });
});
