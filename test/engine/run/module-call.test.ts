// inspect → plan → apply: the one path for both modes. A fake module records what ran.
import { describe, expect, it } from 'vitest';
import { ModuleError } from '../../../engine/errors.js';
import { defineModule, type Plan } from '../../../engine/module.js';
import { callModule } from '../../../engine/run/module-call.js';
import { moduleContext } from '../../helpers/module-harness.js';

type Args = { want: string[]; predictable?: boolean; refuse?: string; failApply?: boolean };

function recorder() {
  const calls: string[] = [];
  const mod = defineModule<Args, { have: string[] }, { summary: string }>({
    name: 'rec',
    schema: 'rec',
    runsOn: 'controller',
    predictable: (a) => a.predictable !== false,
    async inspect(_ctx, args) {
      calls.push('inspect');
      return { have: args.want.filter((w) => w.startsWith('=')) };
    },
    plan(state, args): Plan<{ summary: string }> {
      calls.push('plan');
      if (args.refuse) return { changes: [], refuse: args.refuse };
      const todo = args.want.filter((w) => !state.have.includes(w));
      return todo.length
        ? {
            changes: todo.map((w) => ({ summary: `add ${w}` })),
            diff: [{ path: '/x', before: '', after: todo.join('\n') }],
          }
        : { changes: [], noop: 'all there', data: { count: args.want.length } };
    },
    async apply(_ctx, args, plan) {
      calls.push(`apply ${plan.changes.length}`);
      if (args.failApply) throw new ModuleError('disk full', { free: 0 });
      return { data: { added: plan.changes.length } };
    },
    unknownResult: () => ({ rc: null }),
  });
  return { mod, calls };
}

describe('callModule', () => {
  it('check mode reports the plan and its diff, and never applies', async () => {
    const { mod, calls } = recorder();
    const r = await callModule(mod, { want: ['a', 'b'] }, moduleContext({}, true));
    expect(r).toMatchObject({
      status: 'changed',
      msg: 'would add a; would add b',
      changes: ['add a', 'add b'],
      diff: [{ path: '/x' }],
    });
    expect(calls).toEqual(['inspect', 'plan']);
  });

  it('a real run applies exactly the plan', async () => {
    const { mod, calls } = recorder();
    const r = await callModule(mod, { want: ['a'] }, moduleContext({}, false));
    expect(r).toMatchObject({ status: 'changed', data: { added: 1 }, changes: ['add a'] });
    expect(calls).toEqual(['inspect', 'plan', 'apply 1']);
  });

  it('nothing to do: ok with the reason, no apply, in both modes', async () => {
    for (const check of [false, true]) {
      const { mod, calls } = recorder();
      expect(await callModule(mod, { want: ['=a'] }, moduleContext({}, check))).toMatchObject({
        status: 'ok',
        msg: 'all there',
        data: { count: 1 },
      });
      expect(calls).toEqual(['inspect', 'plan']);
    }
  });

  it('an unpredictable module is unknown in check mode, with its full result', async () => {
    const { mod } = recorder();
    expect(await callModule(mod, { want: ['a'], predictable: false }, moduleContext({}, true))).toMatchObject({
      status: 'unknown',
      data: { rc: null },
      changes: ['add a'],
    });
  });

  it('a predicted change in check mode registers the keys a real run has (unknownResult under the plan data)', async () => {
    const { mod } = recorder();
    const r = await callModule(mod, { want: ['a'] }, moduleContext({}, true));
    expect(r).toMatchObject({ status: 'changed', data: { rc: null, changes: ['add a'] } });
  });

  it('a refusal fails without applying; a ModuleError in apply fails with its data', async () => {
    const { mod, calls } = recorder();
    expect(await callModule(mod, { want: ['a'], refuse: 'pdb blocks it' }, moduleContext({}, false))).toMatchObject({
      status: 'failed',
      msg: 'pdb blocks it',
      data: { refused: true },
    });
    expect(await callModule(mod, { want: ['a'], failApply: true }, moduleContext({}, false))).toMatchObject({
      status: 'failed',
      msg: 'disk full',
      data: { free: 0 },
    });
    expect(calls.filter((c) => c.startsWith('apply'))).toEqual(['apply 1']);
  });
});
