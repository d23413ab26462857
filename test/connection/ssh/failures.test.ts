import { execFile, spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnreachableError } from '../../../engine/errors.js';
import { freePort } from '../../../sandbox/fleet/node-process.js';
import { commandLine } from '../../../sandbox/fleet/processes.js';
import { ensureBrokenLoginUsers } from '../../../sandbox/fleet/users.js';
import { testFleet, connect, type TestFleet } from './fixture.js';

let t: TestFleet;

beforeAll(async () => {
  t = await testFleet([{ name: 'w-1' }, { name: 'w-2' }, { name: 'w-3' }]);
});

afterAll(async () => {
  await t?.stop();
});

async function failure(p: Promise<unknown>): Promise<UnreachableError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(UnreachableError);
  return e as UnreachableError;
}

describe('authentication', () => {
  it('lists every method it tried when the server says no', async () => {
    const n = t.fleet.node('w-1');
    const wrongKey = path.join(t.home, '.ssh', 'id_ed25519');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const e = await failure(
      connect(t, 'w-1', { user: t.fleet.users.passwd, privateKeyFile: undefined, password: 'not-it' }).exec(['true']),
    );
    expect(e.reason).toBe('auth');
    expect(e.message).toBe(
      `permission denied for ${t.fleet.users.passwd}@127.0.0.1:${n.port} (tried: publickey ~/.ssh/id_ed25519, password); sshd refuses a wrong key the same way as a user whose login shell does not exist or that AllowUsers excludes: its log says which`,
    );
  });

  it('logs in with a password, and with a passphrase-protected key', async () => {
    const pw = connect(t, 'w-1', {
      user: t.fleet.users.passwd,
      privateKeyFile: '/nonexistent/none',
      password: t.fleet.users.password,
    });
    // An explicitly named key that does not exist is a configuration error, not silently skipped.
    expect((await failure(pw.exec(['true']))).reason).toBe('config');
    const byPassword = connect(t, 'w-1', {
      user: t.fleet.users.passwd,
      privateKeyFile: undefined,
      password: t.fleet.users.password,
    });
    expect((await byPassword.exec(['id', '-un'])).stdout).toBe(`${t.fleet.users.passwd}\n`);
    await byPassword.close();
    const key = t.fleet.passphraseKey;
    const noPass = await failure(connect(t, 'w-1', { privateKeyFile: key.path }).exec(['true']));
    expect(noPass.message).toContain('encrypted; no passphrase given');
    const withPass = connect(t, 'w-1', { privateKeyFile: key.path, privateKeyPassphrase: key.passphrase });
    expect((await withPass.exec(['true'])).rc).toBe(0);
    await withPass.close();
    const fromEnv = connect(
      t,
      'w-1',
      { privateKeyFile: key.path },
      { env: { HOME: t.home, HERDBOOK_SSH_PASSPHRASE: key.passphrase } },
    );
    expect((await fromEnv.exec(['true'])).rc).toBe(0);
    await fromEnv.close();
  });

  it('uses keys from ssh-agent', async () => {
    const sock = path.join(t.dir, 'agent.sock');
    const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
    try {
      for (let i = 0; i < 100; i++) {
        if (
          await readFile(sock).then(
            () => true,
            (e) => e.code !== 'ENOENT',
          )
        )
          break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await promisify(execFile)('ssh-add', [t.fleet.clientKeyPath], { env: { ...process.env, SSH_AUTH_SOCK: sock } });
      const conn = connect(t, 'w-1', { privateKeyFile: undefined }, { env: { HOME: t.home, SSH_AUTH_SOCK: sock } });
      expect((await conn.exec(['echo', 'via agent'])).stdout).toBe('via agent\n');
      await conn.close();
    } finally {
      agent.kill();
    }
  });
});

describe('unreachable hosts', () => {
  it('reports a closed port as refused, after retrying', async () => {
    const port = await freePort();
    const conn = connect(t, 'w-1', { port }, { connectAttempts: 3, retryDelayMs: 10 });
    const e = await failure(conn.exec(['true']));
    expect(e.reason).toBe('refused');
    expect(e.message).toContain(`127.0.0.1:${port}`);
    expect(e.message).toContain('after 3 attempts');
    expect(conn.events.filter((x) => x.type === 'connect-retry')).toHaveLength(2);
  });

  it('reports a port that accepts but never speaks as a timeout, retrying each time', async () => {
    let accepted = 0;
    const sockets: net.Socket[] = [];
    const server = net.createServer((s) => {
      accepted++;
      sockets.push(s);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const conn = connect(t, 'w-1', { port, connectTimeout: 400 }, { connectAttempts: 2, retryDelayMs: 10 });
      const e = await failure(conn.exec(['true']));
      expect(e.reason).toBe('timeout');
      expect(e.message).toContain('no SSH handshake');
      expect(accepted).toBe(2);
    } finally {
      for (const s of sockets) s.destroy();
      server.close();
    }
  });

  it('reports a name that does not resolve as dns, without retrying', async () => {
    const conn = connect(t, 'w-1', { address: 'no-such-host.invalid' }, { connectAttempts: 3 });
    const e = await failure(conn.exec(['true']));
    expect(e.reason).toBe('dns');
    expect(e.message).toContain('no-such-host.invalid');
    expect(conn.events.filter((x) => x.type === 'connect-retry')).toHaveLength(0);
  });
});

describe('logins that run no command', () => {
  it('a user whose login shell is nologin is unreachable with what the login said, never a command result', async () => {
    const { nologin } = await ensureBrokenLoginUsers();
    const n = t.fleet.node('w-1');
    const conn = connect(t, 'w-1', { user: nologin });
    for (const cmd of [['true'], ['k3s', '--version'], 'exit 255']) {
      const e = await failure(conn.exec(cmd));
      expect(e.reason).toBe('login');
      expect(e.message).toBe(
        `${nologin}@127.0.0.1:${n.port} accepted the login, but its login shell ran no command (exit 1: This account is currently not available.); ` +
          'the user needs a working POSIX login shell (not nologin or /bin/false) and no ForceCommand',
      );
    }
    await conn.close();
  });

  it('a user whose login shell does not exist is refused by sshd: unreachable, and the message says it may be the shell', async () => {
    const { noShell } = await ensureBrokenLoginUsers();
    const e = await failure(connect(t, 'w-1', { user: noShell }).exec(['true']));
    expect(e.reason).toBe('auth');
    expect(e.message).toMatch(
      new RegExp(
        `^permission denied for ${noShell}@127\\.0\\.0\\.1:\\d+ \\(tried: publickey .*\\); .*login shell does not exist`,
      ),
    );
  });

  it('a command of a working login that exits 255 or 127, with or without output, stays a command result', async () => {
    const conn = connect(t, 'w-1');
    expect(await conn.exec(['sh', '-c', 'exit 255'])).toEqual({ rc: 255, stdout: '', stderr: '' });
    expect(await conn.exec('echo "This account is currently not available."; exit 1')).toEqual({
      rc: 1,
      stdout: 'This account is currently not available.\n',
      stderr: '',
    });
    const missing = await conn.exec(['no-such-command-hb']);
    expect(missing.rc).toBe(127);
    expect(missing.stderr).toContain('no-such-command-hb');
    await conn.close();
  });
});

describe('dropped connections', () => {
  // /tmp is shared with the nodes: wait until the command has really started.
  async function waitForFile(file: string, lines: number): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.split('\n').length > lines) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`${file} never got ${lines} lines`);
  }

  async function killSessions(node: string): Promise<void> {
    let pids: number[] = [];
    for (let i = 0; i < 100 && pids.length === 0; i++) {
      pids = await t.fleet.sessionPids(node);
      if (pids.length === 0) await new Promise((r) => setTimeout(r, 20));
    }
    expect(pids.length).toBeGreaterThan(0);
    for (const p of pids) {
      try {
        process.kill(p, 'SIGKILL');
      } catch {
        // An earlier session's process may have exited meanwhile.
      }
    }
  }

  it('fails the interrupted command as dropped, does not re-run it, and reconnects for the next one', async () => {
    const counter = `/tmp/hb-drop-${Date.now()}`;
    const conn = connect(t, 'w-2');
    await conn.exec(['true']);
    const running = conn.exec(`echo run >> ${counter}; sleep 20`);
    await waitForFile(counter, 1);
    await killSessions('w-2');
    const e = await failure(running);
    expect(e.reason).toBe('dropped');
    expect(e.message).toContain('connection to w-2 dropped while running');
    expect(e.message).toContain('sleep 20');
    const after = await conn.exec(['cat', counter]);
    expect(after.stdout).toBe('run\n');
    expect(conn.events.filter((x) => x.type === 'connected')).toHaveLength(2);
    await conn.exec(['rm', '-f', counter]);
    await conn.close();
  });

  it('runs an idempotent command once more after a drop', async () => {
    const counter = `/tmp/hb-idem-${Date.now()}`;
    const conn = connect(t, 'w-2');
    await conn.exec(['true']);
    const running = conn.exec(
      `echo run >> ${counter}; if [ "$(wc -l < ${counter})" -lt 2 ]; then sleep 20; fi; echo finished`,
      { idempotent: true },
    );
    await waitForFile(counter, 1);
    await killSessions('w-2');
    const r = await running;
    expect(r.stdout).toBe('finished\n');
    expect((await conn.exec(['cat', counter])).stdout).toBe('run\nrun\n');
    await conn.exec(['rm', '-f', counter]);
    await conn.close();
  });
});

describe('keepalives', () => {
  it('notices a server that stopped answering and reports the command as dropped', async () => {
    const conn = connect(t, 'w-3', {}, { keepaliveIntervalMs: 200, keepaliveCountMax: 2 });
    await conn.exec(['true']);
    const running = conn.exec('sleep 20.5');
    // Wait until the command runs, then take every process serving this (only) connection to w-3.
    let frozen: number[] = [];
    for (let i = 0; i < 250; i++) {
      const pids = await t.fleet.sessionPids('w-3');
      const lines = await Promise.all(pids.map((p) => commandLine(p)));
      if (lines.some((l) => l.join(' ') === 'sleep 20.5')) {
        frozen = pids;
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(frozen.length).toBeGreaterThan(1);
    // Freeze the connection's sshd processes: the TCP connection stays open but nothing answers.
    for (const p of frozen) process.kill(p, 'SIGSTOP');
    try {
      const e = await failure(running);
      expect(e.reason).toBe('dropped');
      expect(e.message).toContain('connection to w-3 dropped while running sleep 20.5');
    } finally {
      for (const p of frozen) {
        try {
          process.kill(p, 'SIGKILL');
          process.kill(p, 'SIGCONT');
        } catch {
          // Gone already.
        }
      }
    }
    await conn.close();
  });
});

describe('lifecycle', () => {
  it('refuses work after close', async () => {
    const conn = connect(t, 'w-1');
    await conn.exec(['true']);
    await conn.close();
    await expect(conn.exec(['true'])).rejects.toThrow('connection to w-1 is closed');
  });

  it('connects lazily: nothing happens before the first command', async () => {
    const conn = connect(t, 'w-1', { port: 1 });
    expect(conn.events).toHaveLength(0);
    await conn.close();
    await writeFile(path.join(t.dir, 'unused'), '');
  });
});
