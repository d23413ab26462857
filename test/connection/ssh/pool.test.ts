import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSshPool } from '../../../engine/connection/ssh/index.js';
import { testFleet, isolatedDeps, type TestFleet } from './fixture.js';

let t: TestFleet;

beforeAll(async () => {
  t = await testFleet(6);
});

afterAll(async () => {
  await t?.stop();
});

describe('createSshPool', () => {
  it('keeps one connection per host for the whole run, hosts in parallel', async () => {
    const { deps, events } = isolatedDeps(t);
    const pool = createSshPool(deps);
    try {
      const rounds = 3;
      for (let round = 0; round < rounds; round++) {
        const out = await Promise.all(
          t.fleet.nodes.map((n) =>
            pool
              .connection(n.settings)
              .exec(['cat', '/etc/hostname'])
              .then(() => pool.connection(n.settings).exec(['echo', n.name])),
          ),
        );
        expect(out.map((r) => r.stdout)).toEqual(t.fleet.nodes.map((n) => `${n.name}\n`));
      }
      expect(pool.connection(t.fleet.nodes[0].settings)).toBe(pool.connection(t.fleet.nodes[0].settings));
      const connected = events.filter((e) => e.type === 'connected').map((e) => e.host);
      expect(connected.sort()).toEqual(t.fleet.nodes.map((n) => n.name).sort());
      // Nothing is connected before it is used.
      pool.connection({ ...t.fleet.nodes[0].settings, host: 'never-used', port: 1 });
      expect(events.some((e) => e.host === 'never-used')).toBe(false);
    } finally {
      await pool.closeAll();
    }
    // Closing ends every session on the servers.
    for (let i = 0; i < 100; i++) {
      const left = (await Promise.all(t.fleet.nodes.map((n) => t.fleet.sessionPids(n.name)))).flat();
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await Promise.all(t.fleet.nodes.map((n) => t.fleet.sessionPids(n.name)))).flat()).toEqual([]);
  });
});
