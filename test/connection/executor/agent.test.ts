// The agent script in a real local sh, through the session that frames its answers: what every
// transport (ssh, local, pct) relies on, without a network in between.
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_EVERY } from '../../../engine/connection/executor/agent.js';
import { spawnAgent } from '../../../engine/connection/executor/local-agent.js';
import { ExecutorSession, type ExecutorRun } from '../../../engine/connection/executor/session.js';
import { FrameReader, type AgentFrame } from '../../../engine/connection/executor/frames.js';
import { shellJoin } from '../../../engine/connection/quote.js';

let s: ExecutorSession;

/** Processes of a group that are still running (zombies wait for a reaper this machine may lack). */
async function liveInGroup(pgid: number): Promise<string[]> {
  const live: string[] = [];
  for (const pid of await readdir('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(f[2]) === pgid && f[0] !== 'Z') live.push(pid);
  }
  return live;
}

beforeAll(async () => {
  const started = await ExecutorSession.start(spawnAgent(), 10_000);
  if (typeof started === 'string') throw new Error(started);
  s = started;
});

afterAll(() => s?.close());

const run = (line: string, more: Partial<ExecutorRun> = {}) =>
  s.run({ line, maxBuffer: 1 << 30, kill: async () => undefined, ...more });

describe('executor agent', () => {
  it('runs commands one after another with status, stdout and stderr apart', async () => {
    const t0 = Date.now();
    for (let i = 0; i < 20; i++) {
      const r = await run(`echo out${i}; echo err${i} >&2; exit ${i}`);
      expect(r.rc).toBe(i);
      expect(r.stdout.toString()).toBe(`out${i}\n`);
      expect(r.stderr.toString()).toBe(`err${i}\n`);
    }
    expect(Date.now() - t0).toBeLessThan(20_000);
  });

  it('passes stdin bytes exactly, and /dev/null without stdin', async () => {
    const all = Buffer.alloc(70_000);
    for (let i = 0; i < all.length; i++) all[i] = (i * 7) % 256;
    const r = await run('cat', { stdin: all });
    expect(r.stdout.equals(all)).toBe(true);
    expect((await run('cat')).stdout.length).toBe(0);
    // A pipe, as over a channel: a command that maps a file stdin reads it from its start (wget
    // --input-file=- read the env values ahead of its URL).
    expect((await run('[ -p /dev/stdin ] && echo pipe', { stdin: Buffer.from('x') })).stdout.toString()).toBe('pipe\n');
  });

  it('gives every command its stdin, also the one whose turn sweeps the finished files', async () => {
    // Every SWEEP_EVERY-th command, the agent removes the finished commands' files; that once
    // removed the stdin file of the command itself (exit 2, "cannot open").
    for (let i = 0; i < 2 * SWEEP_EVERY; i++) {
      const r = await run('cat', { stdin: Buffer.from(`in${i}`), simple: true });
      expect([r.rc, r.stdout.toString()]).toEqual([0, `in${i}`]);
    }
  });

  it('runs a simple line without a shell in between, and a list through one', async () => {
    expect((await run(shellJoin(['printf', '%s|', 'a b', "c'd"]), { simple: true })).stdout.toString()).toBe(
      "a b|c'd|",
    );
    expect((await run('cd /tmp && pwd', { simple: false })).stdout.toString()).toBe('/tmp\n');
  });

  it('never takes a frame header printed by a command for its own', async () => {
    const fake = `HBX${'0'.repeat(24)} D 1 0 -\nHBX${'0'.repeat(24)}-SEP\nabc`;
    const r = await run(shellJoin(['printf', '%s', fake]));
    expect(r.stdout.toString()).toBe(fake);
  });

  it('kills a command through its process group and keeps going', async () => {
    let pgid = 0;
    const kill = async (p: number) => {
      pgid = p;
      process.kill(-p, 'SIGKILL');
    };
    const r = await run('sleep 30 & sleep 31; echo never', { timeout: 200, kill });
    expect(r).toMatchObject({ rc: 137, timedOut: true, signal: 'SIGKILL' });
    expect(pgid).toBeGreaterThan(0);
    expect(await liveInGroup(pgid)).toEqual([]);
    expect((await run('echo after')).stdout.toString()).toBe('after\n');
  });
});

describe('frame reader', () => {
  it('reads stdout and stderr up to the separators, whatever bytes they hold, in any chunking', () => {
    const body = Buffer.from('HBXn1 D 9 9 -\nHBXn1 R x\nHBXn1-SE\nHBXn2-SEP\n\0\xff');
    const all = Buffer.concat([
      Buffer.from('banner from a login\nHBXn1 R /tmp/d\nHBXn1 S 1 42\n'),
      Buffer.from(`HBXn1 D 1 3 -\n`),
      body,
      Buffer.from('HBXn1-SEP\ne!HBXn1-SEP\n'),
    ]);
    for (const step of [1, 5, 7, all.length]) {
      const frames: AgentFrame[] = [];
      const r = new FrameReader('n1', (f) => frames.push(f));
      for (let i = 0; i < all.length; i += step) r.push(all.subarray(i, i + step));
      expect(frames.map((f) => f.kind)).toEqual(['ready', 'started', 'done']);
      const done = frames[2] as Extract<AgentFrame, { kind: 'done' }>;
      expect(done.stdout.equals(body)).toBe(true);
      expect(done.stderr.toString()).toBe('e!');
      expect(() => r.push(Buffer.from('garbage\n'))).toThrow(/unexpected executor output/);
    }
  });
});
