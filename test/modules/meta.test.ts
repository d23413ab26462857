import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { meta } from '../../modules/control/meta.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(meta, path.join(import.meta.dirname, 'meta'));

describe('meta', () => {
  it('accepts each action as the whole argument and hands it to the engine, in check mode too', async () => {
    for (const action of ['flush_handlers', 'end_play', 'end_host', 'end_batch', 'clear_host_errors', 'noop']) {
      for (const check of [false, true]) {
        const r = await runModule(meta, action, {}, { check });
        expect(r).toMatchObject({ status: 'ok', data: { meta: action } });
      }
    }
  });

  it('refuses an unknown action before running', () => {
    expect(() => moduleArgs(meta, 'end_everything')).toThrow(/must be one of: flush_handlers/);
    expect(() => moduleArgs(meta, { action: 'flush_handlers' })).toThrow(/invalid arguments for meta/);
  });
});
