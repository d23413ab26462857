// Node fires a timer at once (with a TimeoutOverflowWarning) when its delay is past 2^31-1 ms,
// about 24.8 days: a `pause`, `delay` or `timeout` that long would end immediately instead of
// waiting. setLongTimeout chains timers no longer than that, so any delay means what it says.
const MAX_DELAY_MS = 2 ** 31 - 1;

export type LongTimer = { clear: () => void };

export function setLongTimeout(fn: () => void, ms: number): LongTimer {
  let timer: NodeJS.Timeout;
  let left = ms;
  const arm = () => {
    const step = Math.min(left, MAX_DELAY_MS);
    left -= step;
    timer = setTimeout(() => (left > 0 ? arm() : fn()), step);
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
