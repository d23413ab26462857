import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testFleet, connect, remoteProcessRuns, type TestFleet } from './fixture.js';

let t: TestFleet;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }]);
});

afterAll(async () => {
  await t?.stop();
});

describe('ssh become', () => {
  it('runs through sudo -n for a user with passwordless sudo', async () => {
    const conn = connect(t, 'w-1', { user: t.fleet.users.nopasswd });
    try {
      expect((await conn.exec(['id', '-un'])).stdout).toBe(`${t.fleet.users.nopasswd}\n`);
      const r = await conn.exec(['sh', '-c', 'id -un; cat; pwd; echo $V'], {
        become: true,
        stdin: 'in\n',
        cwd: '/etc/rancher',
        env: { V: 'v' },
      });
      expect(r).toMatchObject({ rc: 0, stdout: 'root\nin\n/etc/rancher\nv\n', stderr: '' });
      const other = await conn.exec('id -un', { become: true, becomeUser: t.fleet.users.passwd });
      expect(other.stdout).toBe(`${t.fleet.users.passwd}\n`);
      const line = conn.events.find((e) => e.type === 'command' && e.line.includes('sudo'));
      expect(line && 'line' in line ? line.line : '').toContain('sudo -n -u root -- /bin/sh -c');
    } finally {
      await conn.close();
    }
  });

  it('fails cleanly when sudo needs a password and none is configured', async () => {
    const conn = connect(t, 'w-1', { user: t.fleet.users.passwd, privateKeyFile: t.fleet.clientKeyPath });
    try {
      const r = await conn.exec(['id', '-un'], { become: true });
      expect(r.rc).toBe(1);
      expect(r.stderr).toContain('a password is required');
    } finally {
      await conn.close();
    }
  });

  it('answers the sudo prompt with the become password on stdin, then passes the command its own stdin', async () => {
    const conn = connect(t, 'w-1', { user: t.fleet.users.passwd, becomePassword: t.fleet.users.password });
    try {
      const r = await conn.exec(['sh', '-c', 'id -un; cat'], { become: true, stdin: 'payload\n' });
      expect(r).toEqual({ rc: 0, stdout: 'root\npayload\n', stderr: '' });
      // Env values travel ahead of the command's stdin, after sudo's prompt: never in a command line.
      const withEnv = await conn.exec(['sh', '-c', 'printf "%s|" "$TOKEN"; cat'], {
        become: true,
        stdin: 'payload\n',
        env: { TOKEN: "t0k'en $x" },
      });
      expect(withEnv).toEqual({ rc: 0, stdout: "t0k'en $x|payload\n", stderr: '' });
      expect(
        conn.events.filter((e) => e.type === 'command').every((e) => !('line' in e) || !e.line.includes('t0k')),
      ).toBe(true);
      // Output bigger than one packet, on both streams, still arrives whole.
      const big = await conn.exec('seq 1 20000; seq 1 5000 >&2', { become: true });
      expect(big.stdout.split('\n')).toHaveLength(20001);
      expect(big.stderr.split('\n')).toHaveLength(5001);
    } finally {
      await conn.close();
    }
  });

  it('never puts the become password in any argv, on the node or in the command sent', async () => {
    // The channel path's sudo -S (the executor's askpass is covered in executor.test.ts).
    const conn = connect(t, 'w-1', {
      user: t.fleet.users.passwd,
      becomePassword: t.fleet.users.password,
      executor: false,
    });
    const probe = connect(t, 'w-1');
    try {
      let done = false;
      const running = conn.exec('sleep 3; echo done', { become: true }).finally(() => (done = true));
      let seen = '';
      // While the become command runs, read every process's argv on the node: until sudo is seen
      // or the command ended, not a fixed number of times (a loaded machine starts it late).
      while (!done) {
        const r = await probe.exec('for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f"; echo; done 2>/dev/null');
        seen += r.stdout;
        if (r.stdout.includes('sudo -S')) break;
        await new Promise((res) => setTimeout(res, 100));
      }
      expect((await running).stdout).toBe('done\n');
      expect(seen).toContain('sudo -S -p');
      expect(seen).not.toContain(t.fleet.users.password);
      const sent = conn.events.filter((e) => e.type === 'command').map((e) => ('line' in e ? e.line : ''));
      expect(sent.length).toBeGreaterThan(0);
      for (const line of sent) expect(line).not.toContain(t.fleet.users.password);
    } finally {
      await conn.close();
      await probe.close();
    }
  });

  it('does not hand the password to the command when sudo does not ask for it', async () => {
    const conn = connect(t, 'w-1', { user: t.fleet.users.nopasswd, becomePassword: t.fleet.users.password });
    try {
      const r = await conn.exec(['cat'], { become: true, stdin: 'only this' });
      expect(r).toMatchObject({ rc: 0, stdout: 'only this' });
    } finally {
      await conn.close();
    }
  });

  it('reports a wrong become password as a failed command, not a hang', async () => {
    // The channel path: the kill on a second channel (executor.test.ts covers the executor's askpass).
    const conn = connect(t, 'w-1', { user: t.fleet.users.passwd, becomePassword: 'wrong-password', executor: false });
    try {
      const r = await conn.exec(['id', '-un'], { become: true, stdin: 'x' });
      expect(r.rc).not.toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('sudo refused the become password');
      // The waiting sudo was killed as the login user, once: no second password attempt.
      const sent = conn.events.filter((e) => e.type === 'command').map((e) => ('line' in e ? e.line : ''));
      expect(sent).toHaveLength(2);
      expect(sent[1]).not.toContain('sudo');
    } finally {
      await conn.close();
    }
  });

  it('kills a timed-out become command, process group and all', async () => {
    const conn = connect(t, 'w-1', { user: t.fleet.users.passwd, becomePassword: t.fleet.users.password });
    try {
      const r = await conn.exec('sleep 33.25', { become: true, timeout: 500 });
      expect(r.timedOut).toBe(true);
      expect(await remoteProcessRuns(conn, 'sleep 33.25')).toBe(false);
    } finally {
      await conn.close();
    }
  });
});
