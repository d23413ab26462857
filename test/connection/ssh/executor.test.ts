// The persistent executor over real sshd: one long-lived shell per connection runs every
// command, each in a process group of its own, with stdout, stderr and status framed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ensureBrokenLoginUsers } from '../../../sandbox/fleet/users.js';
import { testFleet, connect, remoteProcessRuns, type TestFleet } from './fixture.js';

let t: TestFleet;
let conn: ReturnType<typeof connect>;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }, { name: 'w-2' }]);
  conn = connect(t, 'w-1', { executor: true });
});

afterAll(async () => {
  await conn?.close();
  await t?.stop();
});

const sessions = (c: ReturnType<typeof connect>) =>
  c.events.filter((e) => e.type === 'executor' && e.mode === 'session').length;

describe('ssh executor', () => {
  it('runs consecutive commands in one session, with argv, cwd, env, stdin and status', async () => {
    expect(await conn.exec(['sh', '-c', 'echo out; echo err >&2; exit 7'])).toEqual({
      rc: 7,
      stdout: 'out\n',
      stderr: 'err\n',
    });
    const r = await conn.exec(['sh', '-c', 'pwd; printf "%s|" "$V"; cat; umask'], {
      cwd: '/etc',
      env: { V: "it's $V \\n" },
      stdin: 'in\n',
    });
    expect(r).toEqual({ rc: 0, stdout: "/etc\nit's $V \\n|in\n0022\n", stderr: '' });
    const bad = await conn.exec(['true'], { cwd: '/no/such/dir' });
    expect(bad.rc).not.toBe(0);
    expect(sessions(conn)).toBe(1);
    expect(conn.events.filter((e) => e.type === 'connected')).toHaveLength(1);
  });

  it('returns binary and huge output byte for byte, stdout and stderr apart', async () => {
    const all = Buffer.alloc(256 * 64);
    for (let i = 0; i < all.length; i++) all[i] = i % 256;
    const file = `/tmp/hb-exec-bin-${process.pid}`;
    // put and get go through the executor too: every byte value both ways.
    await conn.put(all, file);
    expect((await conn.get(file)).equals(all)).toBe(true);
    // 4 MB of random bytes, read back raw (get is `cat` in the session) and hashed on both ends.
    await conn.exec(`head -c 4194304 /dev/urandom > ${file}.big`);
    const data = await conn.get(`${file}.big`);
    const remote = await conn.exec(['sha256sum', `${file}.big`]);
    expect(data.length).toBe(4194304);
    expect(remote.stdout.split(' ')[0]).toBe(createHash('sha256').update(data).digest('hex'));
    // 11 MB on both streams at once, kept apart and cut at maxBuffer.
    const big = await conn.exec(`head -c 10000000 /dev/zero | tr '\\0' o; head -c 1000000 /dev/zero | tr '\\0' e >&2`, {
      maxBuffer: 8 * 1024 * 1024,
    });
    expect(big.rc).toBe(0);
    expect(big.truncated).toBe(true);
    expect(big.stdout.length).toBe(8 * 1024 * 1024);
    expect(/^o+$/.test(big.stdout)).toBe(true);
    expect(big.stderr).toBe('e'.repeat(1000000));
    await conn.exec(['rm', '-f', file, `${file}.big`]);
    expect(sessions(conn)).toBe(1);
  }, 180_000);

  it('keeps output that imitates a frame as output', async () => {
    // Headers of every kind, with a nonce-shaped prefix, on both streams and without newlines.
    const fake = 'HBX0123456789abcdef01234567 D 99 0 5 5 -\\nHBX R /tmp\\nHBX0 S 1 1\\n';
    const r = await conn.exec(`printf '${fake}'; printf '${fake}' >&2; printf 'HBX'`);
    const want = fake.replace(/\\n/g, '\n');
    expect(r).toEqual({ rc: 0, stdout: `${want}HBX`, stderr: want });
    expect((await conn.exec(['echo', 'next'])).stdout).toBe('next\n');
  });

  it('handles a command that closes stdout early, one that reads stdin to EOF, one that leaves a daemon', async () => {
    const closed = await conn.exec('exec 1>&-; sleep 0.2; echo still >&2; exit 3');
    expect(closed).toEqual({ rc: 3, stdout: '', stderr: 'still\n' });
    const payload = Buffer.alloc(3 * 1024 * 1024, 'x');
    const counted = await conn.exec(['wc', '-c'], { stdin: payload });
    expect(counted.stdout.trim()).toBe(String(payload.length));
    // No stdin: EOF at once, never the agent's own input.
    expect(await conn.exec(['cat'])).toEqual({ rc: 0, stdout: '', stderr: '' });
    const marker = `sleep 31.${process.pid % 1000}`;
    const started = Date.now();
    const d = await conn.exec(`(${marker}; echo late; echo late >&2) & echo parent`);
    expect(d).toEqual({ rc: 0, stdout: 'parent\n', stderr: '' });
    expect(Date.now() - started).toBeLessThan(10_000);
    // The background subshell starts its sleep on its own time (late, on a loaded machine).
    let runs = false;
    for (let i = 0; i < 50 && !runs; i++) {
      runs = await remoteProcessRuns(conn, marker);
      if (!runs) await new Promise((r) => setTimeout(r, 100));
    }
    expect(runs).toBe(true);
    // A daemon that keeps writing to the files it was given cannot reach the next command's output.
    const chatty = await conn.exec('(for i in 1 2 3 4 5 6 7 8; do echo noise; sleep 0.1; done) & echo first');
    // What it printed before the command ended is the command's output; nothing after.
    expect(chatty.stdout).toMatch(/^first\n(noise\n)*$/);
    for (let i = 0; i < 5; i++)
      expect(await conn.exec(['echo', `n${i}`])).toEqual({ rc: 0, stdout: `n${i}\n`, stderr: '' });
    await conn.exec(['pkill', '-f', marker]).catch(() => undefined);
    expect(sessions(conn)).toBe(1);
  });

  it('kills only the timed-out command and goes on in the same session', async () => {
    const bystander = `sleep 32.${process.pid % 1000}`;
    await conn.exec(`${bystander} > /dev/null 2>&1 &`);
    const r = await conn.exec(`sleep 30.5 & sleep 30.25; echo never`, { timeout: 400 });
    expect(r).toMatchObject({ rc: 137, signal: 'SIGKILL', timedOut: true, stdout: '' });
    // Its whole process group is gone (the background sleep too), the other command's is not.
    expect(await remoteProcessRuns(conn, 'sleep 30.25')).toBe(false);
    expect(await remoteProcessRuns(conn, 'sleep 30.5')).toBe(false);
    expect(await remoteProcessRuns(conn, bystander)).toBe(true);
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const aborted = await conn.exec('sleep 30.75', { signal: ac.signal });
    expect(aborted).toMatchObject({ rc: 137, signal: 'SIGKILL' });
    expect(aborted.timedOut).toBeUndefined();
    expect(await remoteProcessRuns(conn, 'sleep 30.75')).toBe(false);
    expect((await conn.exec(['echo', 'after'])).stdout).toBe('after\n');
    await conn.exec(['pkill', '-f', bystander]);
    expect(sessions(conn)).toBe(1);
  });

  it('runs concurrent commands: one in the session, the others on channels of their own', async () => {
    const rs = await Promise.all(Array.from({ length: 6 }, (_, i) => conn.exec(['sh', '-c', `sleep 0.1; echo ${i}`])));
    expect(rs.map((r) => r.stdout)).toEqual(['0\n', '1\n', '2\n', '3\n', '4\n', '5\n']);
  });
});

describe('ssh executor become', () => {
  it('becomes root through sudo -n, with stdin, env and cwd', async () => {
    const c = connect(t, 'w-1', { user: t.fleet.users.nopasswd, executor: true });
    try {
      const r = await c.exec(['sh', '-c', 'id -un; cat; pwd; echo $V'], {
        become: true,
        stdin: 'in\n',
        cwd: '/etc',
        env: { V: 'v' },
      });
      expect(r).toEqual({ rc: 0, stdout: 'root\nin\n/etc\nv\n', stderr: '' });
      expect(sessions(c)).toBe(1);
      const t0 = await c.exec('sleep 30.125', { become: true, timeout: 300 });
      expect(t0).toMatchObject({ rc: 137, timedOut: true });
      expect(await remoteProcessRuns(c, 'sleep 30.125')).toBe(false);
    } finally {
      await c.close();
    }
  });

  it('answers sudo with the become password through askpass, never on a command line or the command stdin', async () => {
    const c = connect(t, 'w-1', {
      user: t.fleet.users.passwd,
      becomePassword: t.fleet.users.password,
      executor: true,
    });
    try {
      const r = await c.exec(['sh', '-c', 'id -un; cat'], { become: true, stdin: 'payload\n' });
      expect(r).toEqual({ rc: 0, stdout: 'root\npayload\n', stderr: '' });
      const env = await c.exec(['sh', '-c', 'printf "%s|" "$TOKEN"; cat'], {
        become: true,
        stdin: 'p\n',
        env: { TOKEN: 't0ken' },
      });
      expect(env).toEqual({ rc: 0, stdout: 't0ken|p\n', stderr: '' });
      // While a become command runs, no process on the node has the password in its argv.
      const probe = connect(t, 'w-1');
      let done = false;
      const running = c.exec('sleep 2; echo done', { become: true }).finally(() => (done = true));
      let seen = '';
      while (!done) {
        const p = await probe.exec('for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f"; echo; done 2>/dev/null');
        seen += p.stdout;
        if (p.stdout.includes('sudo -A')) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      await probe.close();
      expect((await running).stdout).toBe('done\n');
      expect(seen).toContain('sudo -A -u root');
      expect(seen).not.toContain(t.fleet.users.password);
      // Not becoming: the password is not offered, and the agent's FIFO has nothing for anyone.
      expect((await c.exec(['id', '-un'])).stdout).toBe(`${t.fleet.users.passwd}\n`);
      for (const e of c.events) expect(JSON.stringify(e)).not.toContain(t.fleet.users.password);
      expect(sessions(c)).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('reports a wrong become password as refused, and the session goes on', async () => {
    const c = connect(t, 'w-1', { user: t.fleet.users.passwd, becomePassword: 'wrong-password', executor: true });
    try {
      const r = await c.exec(['id', '-un'], { become: true, timeout: 30_000 });
      expect(r.rc).toBe(1);
      expect(r.stderr).toContain('herdbook: sudo refused the become password');
      expect(r.timedOut).toBeUndefined();
      expect((await c.exec(['echo', 'ok'])).stdout).toBe('ok\n');
      expect(sessions(c)).toBe(1);
    } finally {
      await c.close();
    }
  });

  it('fails cleanly when sudo needs a password and none is configured', async () => {
    const c = connect(t, 'w-1', { user: t.fleet.users.passwd, privateKeyFile: t.fleet.clientKeyPath, executor: true });
    try {
      const r = await c.exec(['id', '-un'], { become: true });
      expect(r.rc).toBe(1);
      expect(r.stderr).toContain('a password is required');
    } finally {
      await c.close();
    }
  });
});

describe('ssh executor failures', () => {
  it('reports the command of a killed sshd as dropped, never re-runs it, and starts a new session', async () => {
    const c = connect(t, 'w-2', { executor: true });
    const counter = `/tmp/hb-exec-drop-${process.pid}`;
    await c.exec(['true']);
    const running = c.exec(`echo run >> ${counter}; sleep 20`);
    for (let i = 0; i < 500 && !(await readFile(counter, 'utf8').catch(() => '')); i++)
      await new Promise((r) => setTimeout(r, 20));
    for (const p of await t.fleet.sessionPids('w-2')) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    const e = (await running.then(
      () => undefined,
      (x: unknown) => x,
    )) as { reason?: string; message?: string; host?: string };
    expect(e?.reason).toBe('dropped');
    expect(e?.host).toBe('w-2');
    expect(e?.message).toContain('dropped while running');
    expect(e?.message).toContain('was not re-run');
    expect((await c.exec(['cat', counter])).stdout).toBe('run\n');
    expect(sessions(c)).toBe(2);
    await c.exec(['rm', '-f', counter]);
    await c.close();
  });

  it('falls back to a channel per command where the agent cannot start, and says why', async () => {
    // nologin runs no command at all: the agent never answers, and exec per command then reports
    // the login exactly as it does with the executor off.
    const { nologin } = await ensureBrokenLoginUsers();
    const on = connect(t, 'w-2', { user: nologin, executor: true });
    const off = connect(t, 'w-2', { user: nologin, executor: false });
    try {
      const a = (await on.exec(['true']).catch((e: unknown) => e)) as Error & { reason?: string };
      const b = (await off.exec(['true']).catch((e: unknown) => e)) as Error & { reason?: string };
      expect(a.reason).toBe('login');
      expect(a.message).toBe(b.message);
      const notice = on.events.find((e) => e.type === 'executor');
      expect(notice).toMatchObject({ mode: 'exec' });
      expect(notice && 'why' in notice ? notice.why : '').toMatch(/ended at once|no answer/);
      expect(off.events.some((e) => e.type === 'executor')).toBe(false);
    } finally {
      await on.close();
      await off.close();
    }
  });
});
