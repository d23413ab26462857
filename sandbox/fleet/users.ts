// Login users for `become` tests: one with passwordless sudo, one whose sudo asks for a password.
// Users are machine-wide, so every fleet on this machine shares them and their password; setup is
// serialized with a lock because vitest starts fleets in parallel processes.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export type BecomeUsers = {
  /** `sudo` without a password. */
  nopasswd: string;
  /** `sudo` asks for `password` (also this user's login password). */
  passwd: string;
  password: string;
};

const STATE = '/var/lib/herdbook-fleet';
const NOPASSWD = 'hb-nopasswd';
const PASSWD = 'hb-passwd';
const SUDOERS = '/etc/sudoers.d/herdbook-fleet';

// Every sudo asks again (timestamp_timeout=0), so tests see the prompt each time.
const SUDOERS_TEXT = `# written by herdbook's sshd test fleet (sandbox/fleet)
${NOPASSWD} ALL=(ALL:ALL) NOPASSWD: ALL
${PASSWD} ALL=(ALL:ALL) ALL
Defaults:${PASSWD} timestamp_timeout=0, !lecture
`;

async function withLock<T>(fn: () => Promise<T>): Promise<T> {
  const lock = `${STATE}/lock`;
  await mkdir(STATE, { recursive: true, mode: 0o700 });
  for (let i = 0; ; i++) {
    try {
      await mkdir(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      // A lock older than a minute belongs to a process that died mid-setup.
      const age = Date.now() - (await stat(lock).catch(() => ({ mtimeMs: Date.now() }))).mtimeMs;
      if (age > 60_000) await rm(lock, { recursive: true, force: true });
      await sleep(50 + (i % 10) * 10);
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}

async function userExists(name: string): Promise<boolean> {
  return run('id', ['-u', name]).then(
    () => true,
    () => false,
  );
}

async function chpasswd(line: string): Promise<void> {
  const done = run('chpasswd');
  done.child.stdin!.end(`${line}\n`);
  await done;
}

/** Creates the users and the sudoers rules when missing; returns their names and the password. */
export async function ensureBecomeUsers(): Promise<BecomeUsers> {
  return withLock(async () => {
    const pwFile = `${STATE}/become-password`;
    let password = await readFile(pwFile, 'utf8').catch(() => '');
    let setPasswords = false;
    if (!password) {
      // Random per machine: a fixed password on a sudo-capable account would be a hole on any real sshd.
      password = randomBytes(12).toString('base64url');
      await writeFile(pwFile, password, { mode: 0o600 });
      setPasswords = true;
    }
    for (const name of [NOPASSWD, PASSWD]) {
      if (await userExists(name)) continue;
      await run('useradd', ['--create-home', '--shell', '/bin/sh', name]);
      setPasswords = true;
    }
    if (setPasswords) {
      await chpasswd(`${PASSWD}:${password}`);
      // '*' (not the locked '!'): sshd without PAM refuses key logins to locked accounts.
      await run('usermod', ['-p', '*', NOPASSWD]);
    }
    const current = await readFile(SUDOERS, 'utf8').catch(() => '');
    if (current !== SUDOERS_TEXT) {
      const tmp = `${SUDOERS}.tmp`;
      await writeFile(tmp, SUDOERS_TEXT, { mode: 0o440 });
      await run('visudo', ['-c', '-q', '-f', tmp]);
      await run('mv', ['-f', tmp, SUDOERS]);
    }
    return { nopasswd: NOPASSWD, passwd: PASSWD, password };
  });
}

/** Users sshd lets in by key whose login cannot run commands: shell nologin, and a shell that does not exist. */
export type BrokenLoginUsers = { nologin: string; noShell: string };

const BROKEN_LOGINS: [keyof BrokenLoginUsers, string, string][] = [
  ['nologin', 'hb-nologin', '/usr/sbin/nologin'],
  ['noShell', 'hb-noshell', '/nonexistent/herdbook-shell'],
];

/** Creates them when missing (machine-wide, like the become users; no password, no sudo). */
export async function ensureBrokenLoginUsers(): Promise<BrokenLoginUsers> {
  return withLock(async () => {
    const out = {} as BrokenLoginUsers;
    for (const [key, name, shell] of BROKEN_LOGINS) {
      if (!(await userExists(name))) {
        await run('useradd', ['--create-home', '--shell', shell, name]);
        // '*': no password, yet not locked, so sshd without PAM still accepts its key.
        await run('usermod', ['-p', '*', name]);
      }
      out[key] = name;
    }
    return out;
  });
}

/** Whether root's password field is locked (`!...`): then sshd needs UsePAM to let root in by key. */
export async function rootIsLocked(): Promise<boolean> {
  const shadow = await readFile('/etc/shadow', 'utf8').catch(() => '');
  const root = shadow.split('\n').find((l) => l.startsWith('root:'));
  return root?.split(':')[1]?.startsWith('!') ?? false;
}
