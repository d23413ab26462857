// Ansible's `random` filter: an integer below `end` (from `start`, by `step`) or an item of a
// list; with `seed` the draw of Python's random.Random(seed), so a host's pick is stable and the
// same as Ansible's; without it, a fresh draw each time.
import { randomBytes } from 'node:crypto';
import type { HelperFn } from '../evaluate.js';
import { asText } from '../../text.js';
import { PyRandom } from './py-random.js';

function toBig(v: unknown, name: string): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new Error(`random: ${name} must be an integer`);
}

export function pyRandom(end: unknown, start?: unknown, step?: unknown, seed?: unknown): unknown {
  const seeded = seed !== undefined && seed !== null;
  const r = new PyRandom(
    seeded
      ? typeof seed === 'number' || typeof seed === 'bigint'
        ? seed
        : asText(seed)
      : BigInt('0x' + randomBytes(32).toString('hex')),
  );
  if (typeof end === 'number' || typeof end === 'bigint') {
    // Ansible: a falsy start is 0, a falsy step is 1.
    const from = start ? toBig(start, 'start') : 0n;
    const by = step ? toBig(step, 'step') : 1n;
    const got = r.randrange(from, toBig(end, 'end'), by);
    return got >= BigInt(Number.MIN_SAFE_INTEGER) && got <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(got) : got;
  }
  if (start || step) throw new Error('start and step can only be used with integer values');
  if (typeof end === 'string') return r.choice([...end]);
  if (Array.isArray(end)) return r.choice(end);
  throw new Error('random can only be used on sequences and integers');
}

export const randomHelpers: Record<string, HelperFn> = {
  py_random: ([end], hash) => pyRandom(end, hash.start, hash.step, hash.seed),
};
