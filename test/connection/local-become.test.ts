// become with a password on the local connection: the password goes to sudo's own prompt on
// stdin, never to the command, and never on a command line.
import { describe, expect, it } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import { ensureBecomeUsers } from '../../sandbox/fleet/users.js';

describe('local become with a password', () => {
  it('a sudo that asks gets the password; the command gets its own stdin; argv never shows it', async () => {
    const users = await ensureBecomeUsers();
    // As root, sudo never asks: run as the password-protected user and become it again through sudo.
    const conn = new LocalConnection('local', { becomePassword: users.password });
    const seen: string[] = [];
    const r = await conn.exec(
      ['sh', '-c', 'cat; id -un; for p in /proc/[0-9]*/cmdline; do tr "\\0" " " < $p 2>/dev/null; echo; done'],
      {
        become: true,
        becomeUser: users.passwd,
        stdin: 'the command input\n',
        onStdout: (b) => seen.push(b.toString()),
      },
    );
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stdout.startsWith(`the command input\n${users.passwd}\n`)).toBe(true);
    expect(r.stdout).not.toContain(users.password);
    expect(r.stderr).not.toContain('herdbook-sudo');
  });

  it('a sudo that does not ask never passes the password to the command', async () => {
    const users = await ensureBecomeUsers();
    const conn = new LocalConnection('local', { becomePassword: 'not-for-the-command' });
    const r = await conn.exec(['cat'], { become: true, becomeUser: users.nopasswd, stdin: 'only this\n' });
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stdout).toBe('only this\n');
  });

  it('keeps the environment through sudo (which resets it) without putting values on a command line', async () => {
    const users = await ensureBecomeUsers();
    const conn = new LocalConnection('local', { becomePassword: users.password });
    const r = await conn.exec(
      [
        'sh',
        '-c',
        'printf "%s|" "$TOKEN"; id -un; cat; for p in /proc/[0-9]*/cmdline; do tr "\\0" " " < $p 2>/dev/null; echo; done',
      ],
      {
        become: true,
        becomeUser: users.passwd,
        env: { TOKEN: "s3cr3t 'v' $x" },
        stdin: 'input\n',
      },
    );
    expect(r.rc, r.stderr).toBe(0);
    expect(r.stdout.startsWith(`s3cr3t 'v' $x|${users.passwd}\ninput\n`)).toBe(true);
    expect(r.stdout.split('\n').slice(2).join('\n')).not.toContain('s3cr3t');
  });

  it('starts nothing once the run is aborted', async () => {
    const ac = new AbortController();
    ac.abort();
    await expect(new LocalConnection('local').exec(['true'], { signal: ac.signal })).rejects.toThrow('interrupted');
  });
});
