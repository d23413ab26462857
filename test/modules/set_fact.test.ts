import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { setFact } from '../../modules/control/set_fact.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(setFact, path.join(import.meta.dirname, 'set_fact'));

describe('set_fact', () => {
  it('returns the facts in check mode too (later tasks need them), never as a change', async () => {
    const args = { k3s_version: 'v1.32.5+k3s1', nodes: ['w-1', 'w-2'] };
    for (const check of [false, true, false]) {
      const r = await runModule(setFact, args, {}, { check });
      expect(r).toMatchObject({ status: 'ok', msg: 'set k3s_version, nodes', data: { ansible_facts: args } });
    }
  });

  it('refuses names that are not variable names, before running', () => {
    expect(() => moduleArgs(setFact, { 'not-a-name': 1 })).toThrow(/invalid arguments for set_fact/);
    expect(() => moduleArgs(setFact, {})).toThrow(/invalid arguments for set_fact/);
  });
});
