// Mangled input for the never-crash and fast-path tests: a seeded generator (the same inputs on
// every run, so a failure can be reproduced) and random edits of a text: a token inserted, a few
// characters cut, two lines swapped.

/** A linear congruential generator: rnd(n) is in [0, n). */
export function seededRandom(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

export type MangleOptions = {
  tokens: readonly string[];
  /** Up to this many edits (at least one). */
  maxEdits: number;
  /** A cut removes up to this many characters (at least one). */
  maxCut: number;
};

export function mangle(text: string, rnd: (n: number) => number, o: MangleOptions): string {
  let t = text;
  for (let k = 1 + rnd(o.maxEdits); k > 0; k--) {
    const at = rnd(t.length);
    const op = rnd(10);
    if (op < 5) t = t.slice(0, at) + o.tokens[rnd(o.tokens.length)] + t.slice(at);
    else if (op < 8) t = t.slice(0, at) + t.slice(at + 1 + rnd(o.maxCut));
    else {
      const lines = t.split('\n');
      const i = rnd(lines.length);
      const j = rnd(lines.length);
      [lines[i], lines[j]] = [lines[j], lines[i]];
      t = lines.join('\n');
    }
  }
  return t;
}
