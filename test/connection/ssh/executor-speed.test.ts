// Not a timing assertion (tests never assert on time): prints per-command latency with the
// executor on and off, alternated in one run, and checks both gave the same results.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testFleet, connect, type TestFleet } from './fixture.js';

let t: TestFleet;
beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }]);
});
afterAll(async () => {
  await t?.stop();
});

it('runs the same commands with the executor on and off', async () => {
  const on = connect(t, 'w-1', { executor: true });
  const off = connect(t, 'w-1', { executor: false });
  await on.exec(['true']);
  await off.exec(['true']);
  const times = { on: 0, off: 0 };
  const n = 40;
  for (let round = 0; round < 4; round++) {
    for (const [name, c] of [
      ['on', on],
      ['off', off],
    ] as const) {
      const t0 = performance.now();
      for (let i = 0; i < n / 4; i++) {
        expect((await c.exec(['true'])).rc).toBe(0);
        expect((await c.exec(['echo', String(i)])).stdout).toBe(`${i}\n`);
      }
      times[name] += performance.now() - t0;
    }
  }
  console.log(
    `per command: executor on ${(times.on / (2 * n)).toFixed(1)} ms, off ${(times.off / (2 * n)).toFixed(1)} ms, off/on ${(times.off / times.on).toFixed(2)}×`,
  );
  expect(on.events.filter((e) => e.type === 'executor' && e.mode === 'session')).toHaveLength(1);
  await on.close();
  await off.close();
}, 300_000);
