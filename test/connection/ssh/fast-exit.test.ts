// A command that ends at once: its exit-status can reach us in the same read as the exec reply.
// It must still count (it was lost, and the command reported as "closed without an exit status").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, testFleet, type TestFleet } from './fixture.js';

let t: TestFleet;
let conn: ReturnType<typeof connect>;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }]);
  // A become user logs in with /bin/sh and no rc files: the fastest commands this machine can run
  // (root's shell may read a ~/.bashrc that takes long enough to hide the race).
  conn = connect(t, 'w-1', { user: t.fleet.users.nopasswd });
});

afterAll(async () => {
  await conn?.close();
  await t?.stop();
});

describe('ssh exec of commands that end at once', () => {
  it('gets every exit status, sequentially and in parallel', async () => {
    const seq: number[] = [];
    for (let i = 0; i < 150; i++) seq.push((await conn.exec(['true'])).rc);
    expect(seq.filter((rc) => rc !== 0)).toEqual([]);
    const par = await Promise.all(Array.from({ length: 100 }, (_, i) => conn.exec(['sh', '-c', `exit ${i % 3}`])));
    expect(par.map((r) => r.rc)).toEqual(Array.from({ length: 100 }, (_, i) => i % 3));
  });
});
