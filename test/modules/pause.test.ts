import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pause } from '../../modules/control/pause.js';
import { moduleContext, runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(pause, path.join(import.meta.dirname, 'pause'));

describe('pause', () => {
  it('waits through the run’s clock, the same in check mode, and changes nothing', async () => {
    for (const check of [false, true]) {
      const slept: number[] = [];
      const ctx = { ...moduleContext({}, check), sleep: async (ms: number) => void slept.push(ms) };
      const args = moduleArgs(pause, { seconds: 2, minutes: 1 });
      const state = await pause.inspect(ctx, args);
      expect(slept).toEqual([62_000]);
      expect(pause.plan(state, args)).toMatchObject({ changes: [], noop: 'paused 62.0s' });
    }
  });

  it('shows the prompt as progress while waiting', async () => {
    const progress: string[] = [];
    const r = await runModule(pause, { seconds: 0.01, prompt: 'let the pods settle' }, { progress });
    expect(r.status).toBe('ok');
    expect(progress).toEqual(['let the pods settle', 'pausing 0.01s']);
  });

  it('a prompt without seconds needs a terminal: unattended it fails and says what to do', async () => {
    // Unattended even when the tests themselves run in a terminal.
    const saved = Object.getOwnPropertyDescriptor(process.stdin, 'isTTY');
    Object.defineProperty(process.stdin, 'isTTY', { value: false, configurable: true });
    try {
      const r = await runModule(pause, { prompt: 'continue?' }, {});
      expect(r).toMatchObject({ status: 'failed', msg: expect.stringContaining('set seconds: for unattended runs') });
    } finally {
      if (saved) Object.defineProperty(process.stdin, 'isTTY', saved);
      else delete (process.stdin as { isTTY?: boolean }).isTTY;
    }
  });
});
