import type { Clock } from './context.js';
import { setLongTimeout } from '../timers.js';

/** The real clock; sleeps end early (without error) when the run is aborted. */
export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve) => {
      if (ms <= 0 || signal?.aborted) return resolve();
      const t = setLongTimeout(done, ms);
      function done() {
        t.clear();
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
