// SHA-crypt ($5$ SHA-256, $6$ SHA-512), Ulrich Drepper's "Unix crypt using SHA-256 and SHA-512",
// the scheme glibc's crypt and passlib compute. Its cost is step 21: `rounds` digests in a row
// (656000 for Ansible's sha512), each over the previous one. A Hash object per round (create,
// four updates, digest: six calls into node's C++, as the unixcrypt package did) spent its time
// crossing into C++ and collecting the objects; here each round is one crypto.hash call over one
// buffer the round's pieces are copied into: 1.2 → 0.7 s of CPU for 656000 rounds (glibc: 0.2 s).
// That one call is now two thirds of the profile; SHA-512 in JavaScript measured slower still.
import { createHash, hash } from 'node:crypto';

export type ShaCryptId = '5' | '6';

const ALGORITHM = { '5': 'sha256', '6': 'sha512' } as const;
const SIZE = { '5': 32, '6': 64 } as const;
/** Crypt's base-64 alphabet. */
const ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
/**
 * Step 22's groups as the spec writes them, b64_from_24bit(B2, B1, B0, n): three digest bytes (a
 * missing one is 0, written -1) become n characters, the low six bits first.
 */
// prettier-ignore
const GROUPS: Record<ShaCryptId, [number, number, number, number][]> = {
  '5': [
    [0, 10, 20, 4], [21, 1, 11, 4], [12, 22, 2, 4], [3, 13, 23, 4], [24, 4, 14, 4], [15, 25, 5, 4],
    [6, 16, 26, 4], [27, 7, 17, 4], [18, 28, 8, 4], [9, 19, 29, 4], [-1, 31, 30, 3],
  ],
  '6': [
    [0, 21, 42, 4], [22, 43, 1, 4], [44, 2, 23, 4], [3, 24, 45, 4], [25, 46, 4, 4], [47, 5, 26, 4],
    [6, 27, 48, 4], [28, 49, 7, 4], [50, 8, 29, 4], [9, 30, 51, 4], [31, 52, 10, 4], [53, 11, 32, 4],
    [12, 33, 54, 4], [34, 55, 13, 4], [56, 14, 35, 4], [15, 36, 57, 4], [37, 58, 16, 4], [59, 17, 38, 4],
    [18, 39, 60, 4], [40, 61, 19, 4], [62, 20, 41, 4], [-1, -1, 63, 2],
  ],
};
export const DEFAULT_ROUNDS = 5000;

/** `bytes` repeated to `length` bytes (steps 16 and 20: P and S). */
function repeatTo(bytes: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let o = 0; o < length; o += bytes.length) bytes.copy(out, o, 0, Math.min(bytes.length, length - o));
  return out;
}

/**
 * The hash string `$id$[rounds=N$]salt$digest`. `salt`: at most 16 characters of ./0-9A-Za-z
 * (the caller checks); `rounds` is written unless it is the implied 5000.
 */
export function shaCrypt(id: ShaCryptId, password: string, salt: string, rounds: number = DEFAULT_ROUNDS): string {
  const algorithm = ALGORITHM[id];
  const size = SIZE[id];
  const digest = (...parts: Buffer[]) => {
    const h = createHash(algorithm);
    for (const p of parts) h.update(p);
    return h.digest();
  };
  const pw = Buffer.from(password, 'utf8');
  const s = Buffer.from(salt, 'latin1');
  // Steps 1-12: digest A.
  const b = digest(pw, s, pw);
  const a = createHash(algorithm).update(pw).update(s);
  a.update(repeatTo(b, pw.length));
  for (let n = pw.length; n > 0; n >>= 1) a.update(n & 1 ? b : pw);
  let acc = a.digest();
  // Steps 13-20: P from the password repeated, S from the salt repeated 16 + A[0] times.
  const p = repeatTo(digest(...Array<Buffer>(pw.length).fill(pw)), pw.length);
  const sp = repeatTo(digest(...Array<Buffer>(16 + acc[0]).fill(s)), s.length);
  // Step 21: one buffer for every round's input; its length takes four values, each a view made once.
  const buf = Buffer.alloc(2 * size + sp.length + 2 * p.length + Math.max(p.length, size));
  const views = new Map<number, Buffer>();
  for (let i = 0; i < rounds; i++) {
    let o = 0;
    o += (i & 1 ? p : acc).copy(buf, o);
    if (i % 3) o += sp.copy(buf, o);
    if (i % 7) o += p.copy(buf, o);
    o += (i & 1 ? acc : p).copy(buf, o);
    let view = views.get(o);
    if (!view) views.set(o, (view = buf.subarray(0, o)));
    acc = hash(algorithm, view, 'buffer');
  }
  // Step 22: the digest's bytes, regrouped, in crypt's base 64.
  const byte = (k: number) => (k < 0 ? 0 : acc[k]);
  let out = '';
  for (const [b2, b1, b0, n] of GROUPS[id]) {
    const w = (byte(b2) << 16) | (byte(b1) << 8) | byte(b0);
    for (let c = 0; c < n; c++) out += ALPHABET[(w >> (6 * c)) & 63];
  }
  return `$${id}$${rounds === DEFAULT_ROUNDS ? '' : `rounds=${rounds}$`}${salt}$${out}`;
}
