// Small statistics for benchmark samples: the median resists one slow outlier run.
export function median(xs: readonly number[]): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export function fmtMs(ms: number, digits = 1): string {
  return `${ms.toFixed(digits)} ms`;
}

/** Run `fn` `runs` times, alternating with the other measurements by the caller; returns ms per run. */
export async function sample(runs: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}
