// PyRandom against CPython itself: the same seeds give the same draws (Ansible's `random` filter
// with seed= is random.Random(seed)); the Ansible oracle (jinja-oracle) checks the filter end to end.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PyRandom } from '../../../engine/template/helpers/py-random.js';

const PYTHON = '/usr/bin/python3';
const SEEDS: (string | number | bigint)[] = ['node1', 'k3s-server-01', 'héllo', '', 42, 0, -7, 2n ** 70n];

function draws(r: PyRandom): string {
  return [
    r.randrange(0n, 60n, 1n),
    r.randrange(0n, 10n ** 30n, 1n),
    r.randrange(5n, 100n, 7n),
    r.randrange(50n, 0n, -3n),
    r.choice(['a', 'b', 'c', 'd', 'e']),
  ].join(',');
}

describe.skipIf(!existsSync(PYTHON))('PyRandom draws what CPython draws', () => {
  it('randrange and choice after random.Random(seed)', () => {
    const py = execFileSync(
      PYTHON,
      [
        '-c',
        `from random import Random
for s in ['node1', 'k3s-server-01', 'héllo', '', 42, 0, -7, 2**70]:
  r = Random(s); print(','.join(str(x) for x in [r.randrange(0, 60, 1), r.randrange(0, 10**30, 1), r.randrange(5, 100, 7), r.randrange(50, 0, -3), r.choice(['a', 'b', 'c', 'd', 'e'])]))`,
      ],
      { encoding: 'utf8' },
    );
    expect(SEEDS.map((s) => draws(new PyRandom(s))).join('\n')).toBe(py.trim());
  });

  it('refuses what Python refuses', () => {
    expect(() => new PyRandom('x').randrange(0n, 0n, 1n)).toThrow(/empty range/);
    expect(() => new PyRandom('x').choice([])).toThrow(/empty sequence/);
    expect(() => new PyRandom(1.5)).toThrow(/float seed/);
  });
});
