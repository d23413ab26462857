import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFleet, connect, type TestFleet } from './fixture.js';

let t: TestFleet;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1', maxSessions: 10 }]);
});

afterAll(async () => {
  await t?.stop();
});

describe('ssh channels', () => {
  it('runs 100 parallel commands on one connection to a host with MaxSessions 10', async () => {
    const conn = connect(t, 'w-1');
    try {
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) => conn.exec(['sh', '-c', 'sleep 0.2; echo "$1"', 'sh', String(i)])),
      );
      expect(results.map((r) => r.rc)).toEqual(Array(100).fill(0));
      expect(results.map((r) => r.stdout)).toEqual(Array.from({ length: 100 }, (_, i) => `${i}\n`));
      // The server did refuse channels, and they were queued, not failed; one connection all along.
      const refused = conn.events.filter((e) => e.type === 'channel-refused');
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.every((e) => 'open' in e && e.open <= 10)).toBe(true);
      expect(conn.events.filter((e) => e.type === 'connected')).toHaveLength(1);
    } finally {
      await conn.close();
    }
  });

  it('mixes file transfers with commands under the same limit', async () => {
    const conn = connect(t, 'w-1');
    try {
      const work = Array.from({ length: 30 }, (_, i) =>
        i % 3 === 0
          ? conn
              .put(`file ${i}\n`, `/tmp/hb-chan-${i}`)
              .then(() => conn.get(`/tmp/hb-chan-${i}`))
              .then((b) => b.toString())
          : conn.exec(['echo', String(i)]).then((r) => r.stdout),
      );
      const out = await Promise.all(work);
      out.forEach((o, i) => expect(o).toBe(i % 3 === 0 ? `file ${i}\n` : `${i}\n`));
      await conn.exec('rm -f /tmp/hb-chan-*');
    } finally {
      await conn.close();
    }
  });
});
