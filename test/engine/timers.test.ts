import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../engine/run/clock.js';
import { setLongTimeout } from '../../engine/timers.js';

const DAY_MS = 24 * 3600 * 1000;

describe('setLongTimeout', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("waits the whole delay past Node's 24.8-day timer limit instead of firing at once", () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 30 * DAY_MS);
    vi.advanceTimersByTime(1000);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(29 * DAY_MS);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(DAY_MS - 1001);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });

  it('clear() stops it, also after it has re-armed', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    const t = setLongTimeout(fired, 60 * DAY_MS);
    vi.advanceTimersByTime(40 * DAY_MS);
    t.clear();
    vi.advanceTimersByTime(40 * DAY_MS);
    expect(fired).not.toHaveBeenCalled();
  });

  it('a short delay is one timer', () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    setLongTimeout(fired, 50);
    vi.advanceTimersByTime(49);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });
});

describe('systemClock.sleep', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a pause of 99999999 s (a templated delay, a pause module) does not end at once', async () => {
    vi.useFakeTimers();
    let done = false;
    void systemClock.sleep(99_999_999_000).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(25 * DAY_MS);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(99_999_999_000);
    expect(done).toBe(true);
  });

  it('ends early when the run is aborted', async () => {
    vi.useFakeTimers();
    const abort = new AbortController();
    let done = false;
    void systemClock.sleep(40 * DAY_MS, abort.signal).then(() => (done = true));
    await vi.advanceTimersByTimeAsync(1000);
    abort.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(done).toBe(true);
  });
});
