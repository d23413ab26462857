// Batches must be the ones Ansible computes (executor/playbook_executor.py,
// _get_serialized_batches): each serial entry is pct_to_int(entry, len(all play hosts)),
// i.e. int(N/100 × hosts) or 1 for "N%", int(entry) otherwise; an entry <= 0 takes every
// remaining host; the last entry repeats. The expected batches below are worked out by hand
// from that code, not from ours.
import { describe, expect, it } from 'vitest';
import { computeBatches, orderHosts } from '../../../engine/run/batches.js';
import { resolvePlayHosts } from '../../../engine/run/resolve-play.js';
import { emptyInventory, finishInventory } from '../../../engine/inventory/model.js';
import { parseIniInventory } from '../../../engine/inventory/ini.js';
import { indexGroups } from '../../../engine/inventory/groups.js';
import type { Play } from '../../../engine/load/model.js';

const TEN = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9', 'h10'];
const sizes = (batches: string[][]) => batches.map((b) => b.length);

describe('serial → batches (10 hosts unless said)', () => {
  const table: [string, unknown, number[], number?][] = [
    // serial, expected batch sizes, host count
    ['serial: 1', 1, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['serial: "30%" → int(0.3 × 10) = 3, the rest last', '30%', [3, 3, 3, 1]],
    ['serial: [1, 2, "50%"] → 1, 2, then 5 repeating', [1, 2, '50%'], [1, 2, 5, 2]],
    ['no serial: one batch', undefined, [10]],
    ['serial: 0 → every host at once', 0, [10]],
    ['serial: 3', 3, [3, 3, 3, 1]],
    ['serial: "3" (a string number)', '3', [3, 3, 3, 1]],
    ['serial larger than the play', 25, [10]],
    ['serial: "100%"', '100%', [10]],
    ['serial: "0%" → int(0) or 1 = 1', '0%', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['serial: "5%" of 10 → int(0.5) or 1 = 1', '5%', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['percentages are of all play hosts, not of the rest: ["50%", "50%"] over 5', ['50%', '50%'], [2, 2, 1], 5],
    ['serial: "30%" over 3 hosts → int(0.9) or 1 = 1', '30%', [1, 1, 1], 3],
    ['a 0 in the list takes every remaining host: [1, 0]', [1, 0], [1, 9]],
    ['serial: [2] behaves like serial: 2', [2], [2, 2, 2, 2, 2]],
    ['serial: ["10%", "20%", "100%"]', ['10%', '20%', '100%'], [1, 2, 7]],
  ];

  it.each(table)('%s', (_label, serial, expected, count = 10) => {
    const hosts = TEN.slice(0, count);
    const batches = computeBatches(hosts, serial as never);
    expect(sizes(batches)).toEqual(expected);
    // Every host once, in order.
    expect(batches.flat()).toEqual(hosts);
  });

  it('gives the exact hosts of each batch', () => {
    expect(computeBatches(TEN, [1, 2, '50%'])).toEqual([
      ['h1'],
      ['h2', 'h3'],
      ['h4', 'h5', 'h6', 'h7', 'h8'],
      ['h9', 'h10'],
    ]);
    expect(computeBatches(TEN, '30%')).toEqual([['h1', 'h2', 'h3'], ['h4', 'h5', 'h6'], ['h7', 'h8', 'h9'], ['h10']]);
  });

  it('has no batches for no hosts', () => {
    expect(computeBatches([], 1)).toEqual([]);
    expect(computeBatches([], undefined)).toEqual([]);
  });

  it('refuses a serial that is neither a number nor a percentage', () => {
    expect(() => computeBatches(TEN, 'many')).toThrow(/serial: 'many' is not a whole number or a percentage/);
    expect(() => computeBatches(TEN, 'x%')).toThrow(/serial: 'x%' is not a percentage/);
  });
});

describe('order:', () => {
  const hosts = ['node-2', 'node-10', 'node-1', 'b', 'a'];

  it('keeps, reverses or sorts by name (lexicographic, like Python sorted())', () => {
    expect(orderHosts(hosts, 'inventory')).toEqual(hosts);
    expect(orderHosts(hosts, 'reverse_inventory')).toEqual(['a', 'b', 'node-1', 'node-10', 'node-2']);
    expect(orderHosts(hosts, 'sorted')).toEqual(['a', 'b', 'node-1', 'node-10', 'node-2']);
    expect(orderHosts(hosts, 'reverse_sorted')).toEqual(['node-2', 'node-10', 'node-1', 'b', 'a']);
    expect(hosts).toEqual(['node-2', 'node-10', 'node-1', 'b', 'a']);
  });

  it('shuffles with the injected random source (a permutation, reproducible)', () => {
    const seq = (seed: number) => () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const a = orderHosts(hosts, 'shuffle', seq(42));
    expect(a).toEqual(orderHosts(hosts, 'shuffle', seq(42)));
    expect([...a].sort()).toEqual([...hosts].sort());
    expect(a).not.toEqual(hosts);
  });

  it("orders before batching: a play's hosts, limited, ordered, then cut", () => {
    const inv = emptyInventory();
    parseIniInventory(inv, 'h.ini', '[servers]\nsrv-[1:2]\n[agents]\nagent-[1:6]\n');
    finishInventory(inv);
    const play = { hosts: 'all', order: 'reverse_sorted', serial: [1, '50%'], fieldPos: {} } as unknown as Play;
    const r = resolvePlayHosts(play, inv, indexGroups(inv), { limit: ['all:!agent-3'] });
    expect(r.hosts).toEqual(['srv-2', 'srv-1', 'agent-6', 'agent-5', 'agent-4', 'agent-2', 'agent-1']);
    // 50% of the 7 play hosts: int(3.5) = 3.
    expect(r.batches).toEqual([['srv-2'], ['srv-1', 'agent-6', 'agent-5'], ['agent-4', 'agent-2', 'agent-1']]);
  });
});
