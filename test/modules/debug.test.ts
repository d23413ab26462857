import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { debug } from '../../modules/control/debug.js';
import { moduleContext, runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(debug, path.join(import.meta.dirname, 'debug'));

describe('debug on the controller', () => {
  const vars = { result: { rc: 0, stdout_lines: ['a', 'b'] }, name: 'w-1' };

  it('shows a variable path with its value; lists and mappings as YAML', async () => {
    const r = await runModule(debug, { var: 'result.stdout_lines' }, { vars });
    expect(r).toMatchObject({
      status: 'ok',
      msg: 'result.stdout_lines: - a\n- b',
      data: { 'result.stdout_lines': ['a', 'b'] },
    });
  });

  it('says when a variable is not defined instead of failing', async () => {
    expect((await runModule(debug, { var: 'nothing_here' }, { vars })).msg).toBe(
      'nothing_here: VARIABLE IS NOT DEFINED',
    );
    expect((await runModule(debug, { var: 'result.missing' }, { vars })).msg).toBe(
      'result.missing: VARIABLE IS NOT DEFINED',
    );
  });

  it('still fails on an undefined variable inside the value shown', async () => {
    await expect(runModule(debug, { var: 'broken' }, { vars: { broken: '{{nowhere}}' } })).rejects.toThrow(
      /undefined variable 'nowhere'/,
    );
  });

  it('hides messages above the run’s verbosity', async () => {
    const args = moduleArgs(debug, { msg: 'details', verbosity: 1 });
    const quiet = await debug.inspect(moduleContext({ vars }, false), args);
    expect(debug.plan(quiet, args).noop).toBe('shown only with -v');
    const verbose = await debug.inspect({ ...moduleContext({ vars }, false), verbosity: 1 }, args);
    expect(debug.plan(verbose, args).noop).toBe('details');
  });

  it('reports the same in check mode, and never a change (idempotent)', async () => {
    const real = await runModule(debug, { msg: 'hi {{name}}' }, { vars });
    const dry = await runModule(debug, { msg: 'hi {{name}}' }, { vars }, { check: true });
    const again = await runModule(debug, { msg: 'hi {{name}}' }, { vars });
    for (const r of [real, dry, again]) expect(r).toMatchObject({ status: 'ok', msg: 'hi {{name}}' });
  });
});
