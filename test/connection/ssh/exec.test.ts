import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFleet, connect, remoteProcessRuns, type TestFleet } from './fixture.js';

let t: TestFleet;
let conn: ReturnType<typeof connect>;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }]);
  conn = connect(t, 'w-1');
});

afterAll(async () => {
  await conn?.close();
  await t?.stop();
});

describe('ssh exec', () => {
  it('returns stdout, stderr and the exit code of an argv command', async () => {
    const r = await conn.exec(['sh', '-c', 'echo out; echo err >&2; exit 7']);
    expect(r).toEqual({ rc: 7, stdout: 'out\n', stderr: 'err\n' });
  });

  it('runs a string command through /bin/sh -c', async () => {
    const r = await conn.exec(
      'a=1; for i in 1 2 3; do a=$((a*2)); done; echo $a; test -n "$BASH_VERSION" || echo posix',
    );
    expect(r).toMatchObject({ rc: 0, stdout: '8\nposix\n' });
  });

  it('writes stdin then closes it', async () => {
    const r = await conn.exec(['sh', '-c', 'cat; echo "[eof]"'], { stdin: 'line 1\nline 2\n' });
    expect(r.stdout).toBe('line 1\nline 2\n[eof]\n');
    // Without stdin the command sees EOF at once instead of hanging.
    expect((await conn.exec(['cat'])).stdout).toBe('');
    const bin = Buffer.from([0, 255, 10, 13, 128]);
    const r2 = await conn.exec(['od', '-An', '-tx1'], { stdin: bin });
    expect(r2.stdout.trim()).toBe('00 ff 0a 0d 80');
  });

  it('sets env without relying on AcceptEnv, and cwd', async () => {
    const r = await conn.exec(['sh', '-c', 'echo "$GREETING|$OTHER"; pwd'], {
      env: { GREETING: 'hello world', OTHER: '' },
      cwd: '/etc/rancher',
    });
    expect(r.stdout).toBe('hello world|\n/etc/rancher\n');
    const r2 = await conn.exec('echo $X; pwd', { env: { X: '1' }, cwd: '/tmp' });
    expect(r2.stdout).toBe('1\n/tmp\n');
  });

  it('fails a command whose cwd does not exist, without running it', async () => {
    const r = await conn.exec(['touch', '/tmp/hb-should-not-exist'], { cwd: '/nonexistent/dir' });
    expect(r.rc).not.toBe(0);
    expect(r.stderr).toContain('/nonexistent/dir');
    expect((await conn.exec(['test', '-e', '/tmp/hb-should-not-exist'])).rc).toBe(1);
  });

  it('streams output to callbacks as it comes', async () => {
    const chunks: string[] = [];
    const r = await conn.exec('for i in 1 2 3; do echo $i; sleep 0.05; done; echo e >&2', {
      onStdout: (c) => chunks.push(c.toString()),
      onStderr: (c) => chunks.push(`err:${c.toString()}`),
    });
    expect(chunks.join('')).toBe('1\n2\n3\nerr:e\n');
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(r.stdout).toBe('1\n2\n3\n');
  });

  it('kills a command at its timeout and reports timedOut', async () => {
    // Long enough for a loaded machine to start the session and print before the kill.
    const r = await conn.exec('echo started; sleep 31.5; echo never', { timeout: 2000 });
    expect(r).toMatchObject({ timedOut: true, rc: 137, signal: 'SIGKILL', stdout: 'started\n' });
    // The remote sleep is gone too (sshd signals the whole process group).
    expect(await remoteProcessRuns(conn, 'sleep 31.5')).toBe(false);
  });

  it('can see a running remote process (the check the kill tests rely on)', async () => {
    // Looked for until the command ends, not a fixed number of times: on a loaded machine its
    // session may start only after many looks.
    let done = false;
    const running = conn.exec('sleep 3.25').finally(() => (done = true));
    let seen = false;
    while (!seen && !done) seen = await remoteProcessRuns(conn, 'sleep 3.25');
    expect(seen).toBe(true);
    await running;
  });

  it('reports a command killed by a signal', async () => {
    // The channel path only: sshd's exit-signal names it; the executor's shell sees 143 alone.
    const plain = connect(t, 'w-1', { executor: false });
    const r = await plain.exec('kill -TERM $$').finally(() => plain.close());
    expect(r).toMatchObject({ rc: 143, signal: 'SIGTERM' });
  });

  it('streams 100 MB of output while keeping only maxBuffer bytes', async () => {
    let streamed = 0;
    let chunks = 0;
    const maxBuffer = 1024 * 1024;
    const r = await conn.exec(['head', '-c', String(100 * 1024 * 1024), '/dev/zero'], {
      maxBuffer,
      onStdout: (c) => {
        streamed += c.length;
        chunks++;
      },
    });
    expect(r.rc).toBe(0);
    expect(streamed).toBe(100 * 1024 * 1024);
    expect(chunks).toBeGreaterThan(100);
    expect(r.truncated).toBe(true);
    expect(Buffer.byteLength(r.stdout)).toBe(maxBuffer);
  });

  it('keeps up to 16 MiB by default and says when it cut', async () => {
    const r = await conn.exec(['head', '-c', String(17 * 1024 * 1024), '/dev/zero']);
    expect(Buffer.byteLength(r.stdout)).toBe(16 * 1024 * 1024);
    expect(r.truncated).toBe(true);
    const small = await conn.exec(['echo', 'hi']);
    expect(small.truncated).toBeUndefined();
  });

  it('reuses one SSH connection for every command', () => {
    expect(conn.events.filter((e) => e.type === 'connected')).toHaveLength(1);
  });

  it('kills the command when its AbortSignal fires', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await conn.exec('sleep 30.75', { signal: ac.signal });
    expect(r).toMatchObject({ rc: 137, signal: 'SIGKILL' });
    expect(r.timedOut).toBeUndefined();
    expect(await remoteProcessRuns(conn, 'sleep 30.75')).toBe(false);
    // Already aborted: nothing is sent.
    await expect(conn.exec(['true'], { signal: ac.signal })).rejects.toMatchObject({ code: 'E_INTERRUPTED' });
  });
});
