import { describe, expect, it } from 'vitest';
import { newRunState } from '../../../engine/run/index.js';
import { handleInterrupts } from '../../../engine/run/interrupt.js';

const options = { check: false, diff: false, forceHandlers: false, verbosity: 0, extraVars: {} };

describe('handleInterrupts', () => {
  it('first signal stops new work, the second aborts running work; removing the handlers works', () => {
    const state = newRunState(options);
    const seen: string[] = [];
    const stop = handleInterrupts(
      state,
      () => seen.push('first'),
      () => seen.push('second'),
    );
    try {
      process.emit('SIGINT');
      expect(state.interrupted).toBe(true);
      expect(state.abort.signal.aborted).toBe(false);
      process.emit('SIGTERM');
      expect(state.abort.signal.aborted).toBe(true);
      expect(seen).toEqual(['first', 'second']);
    } finally {
      stop();
    }
    const before = process.listenerCount('SIGINT');
    handleInterrupts(
      newRunState(options),
      () => undefined,
      () => undefined,
    )();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('the run’s abort signal takes many listeners without a leak warning', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const state = newRunState(options);
      for (let i = 0; i < 50; i++) state.abort.signal.addEventListener('abort', () => undefined);
      // Node emits the warning on a later tick.
      await new Promise((r) => setTimeout(r, 20));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).toEqual([]);
  });
});
