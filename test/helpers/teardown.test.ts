// teardown() from a hook: vitest drops an afterAll registered while a hook runs, so helpers
// that start things from a beforeAll register here instead.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCleanups, teardown, teardownScope, type Cleanup } from './teardown.js';

const done: string[] = [];

describe('a suite whose beforeAll starts things in a teardown scope', () => {
  const cleanups: Cleanup[] = [];
  beforeAll(() =>
    teardownScope(cleanups, async () => {
      teardown(() => void done.push('first'));
      await new Promise((r) => setTimeout(r, 10));
      // However deep, after an await: still this scope.
      teardown(async () => {
        await new Promise((r) => setTimeout(r, 10));
        done.push('second');
      });
    }),
  );
  afterAll(() => runCleanups(cleanups));
  // Outside any scope, from a hook: after the file, not dropped (and not after this suite).
  beforeAll(() => teardown(() => void done.push('file')));

  it('runs nothing before the suite ends', () => {
    expect(done).toEqual([]);
  });
});

describe('the next suite', () => {
  it('finds the scope torn down, newest first, and the file-level cleanup still waiting', () => {
    expect(done).toEqual(['second', 'first']);
  });
});

describe('runCleanups', () => {
  it('runs every cleanup even when one fails, then throws the first failure', async () => {
    const ran: number[] = [];
    const cleanups: Cleanup[] = [
      () => void ran.push(1),
      () => {
        throw new Error('two');
      },
      () => {
        ran.push(3);
        throw new Error('three');
      },
    ];
    await expect(runCleanups(cleanups)).rejects.toThrow('three');
    expect(ran).toEqual([3, 1]);
    expect(cleanups).toEqual([]);
  });
});
