import { describe, expect, it } from 'vitest';
import { jsonReporter } from '../../../engine/report/json.js';

const ev = (n: number) => ({ type: 'warning' as const, msg: `m${n}` });

describe('json reporter', () => {
  it('writes one event per line, in order, gathered into one write per turn', async () => {
    const writes: string[] = [];
    const r = jsonReporter((t) => writes.push(t));
    for (let i = 0; i < 3; i++) r.emit(ev(i));
    expect(writes).toEqual([]);
    await new Promise((res) => setImmediate(res));
    expect(writes).toEqual([
      '{"type":"warning","msg":"m0"}\n{"type":"warning","msg":"m1"}\n{"type":"warning","msg":"m2"}\n',
    ]);
    r.emit(ev(3));
    await new Promise((res) => setImmediate(res));
    expect(writes.length).toBe(2);
  });

  it('flush and close write what is held back at once', async () => {
    const writes: string[] = [];
    const r = jsonReporter((t) => writes.push(t));
    r.emit(ev(1));
    r.flush!();
    expect(writes).toEqual(['{"type":"warning","msg":"m1"}\n']);
    r.emit(ev(2));
    await r.close();
    expect(
      writes
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).msg),
    ).toEqual(['m1', 'm2']);
    await new Promise((res) => setImmediate(res));
    expect(writes.length).toBe(2);
  });
});
