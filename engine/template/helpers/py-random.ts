// Python's random.Random (CPython 3.11): the Mersenne Twister seeded as random.seed() seeds it,
// getrandbits, randrange and choice. Ansible's `random` filter with `seed=` builds
// random.Random(seed), so the same seed must pick the same item here (a host keeps its minute
// of the hour across both tools while a repository moves).
import { createHash } from 'node:crypto';

const N = 624;
const M = 397;

export class PyRandom {
  private mt = new Uint32Array(N);
  private mti = N + 1;

  constructor(seed: string | number | bigint) {
    this.initByArray(keyOf(seed));
  }

  private initGenrand(s: number): void {
    const mt = this.mt;
    mt[0] = s >>> 0;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i, in 32 bits (split so the product stays exact in a double).
      mt[i] = (((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i) >>> 0;
    }
    this.mti = N;
  }

  private initByArray(key: number[]): void {
    const mt = this.mt;
    this.initGenrand(19650218);
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      const mul = (((((prev & 0xffff0000) >>> 16) * 1664525) << 16) + (prev & 0x0000ffff) * 1664525) >>> 0;
      mt[i] = ((mt[i] ^ mul) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      const mul = (((((prev & 0xffff0000) >>> 16) * 1566083941) << 16) + (prev & 0x0000ffff) * 1566083941) >>> 0;
      mt[i] = ((mt[i] ^ mul) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private next32(): number {
    const mt = this.mt;
    if (this.mti >= N) {
      for (let k = 0; k < N; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % N] & 0x7fffffff);
        mt[k] = mt[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.mti = 0;
    }
    let y = mt[this.mti++];
    y ^= y >>> 11;
    y = (y ^ ((y << 7) & 0x9d2c5680)) >>> 0;
    y = (y ^ ((y << 15) & 0xefc60000)) >>> 0;
    return (y ^ (y >>> 18)) >>> 0;
  }

  /** getrandbits(k): k ≤ 32 takes the top bits of one word; more fills 32-bit words, low first. */
  getrandbits(k: number): bigint {
    if (k <= 0) return 0n;
    if (k <= 32) return BigInt(this.next32() >>> (32 - k));
    let out = 0n;
    for (let shift = 0n; k > 0; k -= 32, shift += 32n) {
      let r = this.next32();
      if (k < 32) r >>>= 32 - k;
      out |= BigInt(r) << shift;
    }
    return out;
  }

  /** _randbelow_with_getrandbits: rejection sampling on n.bit_length() bits. */
  randbelow(n: bigint): bigint {
    const k = n.toString(2).length;
    let r = this.getrandbits(k);
    while (r >= n) r = this.getrandbits(k);
    return r;
  }

  randrange(start: bigint, stop: bigint, step: bigint): bigint {
    const width = stop - start;
    if (step === 1n) {
      if (width > 0n) return start + this.randbelow(width);
      throw new Error(`empty range for randrange() (${start}, ${stop}, ${width})`);
    }
    if (step === 0n) throw new Error('zero step for randrange()');
    const n = step > 0n ? floorDiv(width + step - 1n, step) : floorDiv(width + step + 1n, step);
    if (n <= 0n) throw new Error('empty range for randrange()');
    return start + step * this.randbelow(n);
  }

  choice<T>(seq: readonly T[]): T {
    if (!seq.length) throw new Error('Cannot choose from an empty sequence');
    return seq[Number(this.randbelow(BigInt(seq.length)))];
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** random.seed(a, version=2): a string becomes int(a.encode() + sha512(a)); an int its absolute value, as 32-bit words. */
function keyOf(seed: string | number | bigint): number[] {
  let n: bigint;
  if (typeof seed === 'string') {
    const bytes = Buffer.from(seed, 'utf8');
    const all = Buffer.concat([bytes, createHash('sha512').update(bytes).digest()]);
    n = BigInt('0x' + all.toString('hex'));
  } else {
    if (typeof seed === 'number' && !Number.isInteger(seed))
      throw new Error(
        'a float seed is hashed by Python in a way herdbook does not reproduce; use an integer or a string',
      );
    n = BigInt(seed);
    if (n < 0n) n = -n;
  }
  const key: number[] = [];
  for (; n > 0n; n >>= 32n) key.push(Number(n & 0xffffffffn));
  return key.length ? key : [0];
}
