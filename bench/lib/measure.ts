// Wall time and this process's CPU time (user + system) of one async call. CPU time is the
// steadier figure on a busy machine: other processes stretch wall time, not our CPU time.
export type Cost = { wallMs: number; cpuMs: number };

export async function measure(fn: () => Promise<unknown>): Promise<Cost> {
  const cpu = process.cpuUsage();
  const t = performance.now();
  await fn();
  const wallMs = performance.now() - t;
  const d = process.cpuUsage(cpu);
  return { wallMs, cpuMs: (d.user + d.system) / 1000 };
}

/** Swallow stdout writes while `fn` runs (an in-process CLI run's NDJSON), counting lines. */
export async function quietStdout<T>(fn: () => Promise<T>): Promise<{ value: T; lines: number }> {
  const original = process.stdout.write.bind(process.stdout);
  let lines = 0;
  process.stdout.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
    const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
    cb?.();
    return true;
  };
  try {
    return { value: await fn(), lines };
  } finally {
    process.stdout.write = original;
  }
}
