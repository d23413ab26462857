// put/get. Files land atomically: written to a temp file in the destination's directory, given
// their mode and owner, then renamed over the destination, so readers never see half a file.
// SFTP when the server has it; otherwise (or to reach a non-root become user) `cat` over exec.
import { randomBytes } from 'node:crypto';
import type { SFTPWrapper } from 'ssh2';
import { ModuleError } from '../../errors.js';
import { octalMode, ownerSpec, putScript, tempBeside } from '../put-script.js';
import { shellJoin } from '../quote.js';
import type { CommandSpec, GetOptions, PutOptions } from '../types.js';
import type { RawResult } from './types.js';
import { openSftp, type Session } from './session.js';

/** Runs a command on the same connection (with become when asked), keeping all of stdout. */
export type Exec = (
  cmd: CommandSpec,
  opts: { stdin?: Buffer; become?: boolean; becomeUser?: string },
) => Promise<RawResult>;

function sftpCall<T>(fn: (cb: (err: Error | undefined | null, v?: T) => void) => void): Promise<T> {
  return new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v as T))));
}

async function withSftp<T>(s: Session, fn: (sftp: SFTPWrapper) => Promise<T>): Promise<T | typeof NO_SFTP> {
  const sftp = await openSftp(s);
  if (!sftp) return NO_SFTP;
  sftp.once('close', () => s.gate.release());
  try {
    return await fn(sftp);
  } finally {
    sftp.end();
  }
}
const NO_SFTP = Symbol('no sftp');

function writeRemote(sftp: SFTPWrapper, file: string, data: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = sftp.createWriteStream(file, { flags: 'wx', mode: 0o600 });
    ws.once('error', reject);
    ws.once('close', () => resolve());
    ws.end(data);
  });
}

function failed(host: string, what: string, r: RawResult): ModuleError {
  const why = r.stderr.toString('utf8').trim() || `exit status ${r.rc}`;
  return new ModuleError(`${what} on ${host} failed: ${why}`, { rc: r.rc });
}

export async function execPut(
  host: string,
  exec: Exec,
  data: Buffer,
  dest: string,
  opts: PutOptions,
  from?: string,
): Promise<void> {
  if (!dest.startsWith('/'))
    throw new ModuleError(`put needs an absolute destination path, got ${JSON.stringify(dest)}`);
  const r = await exec(putScript(dest, opts, from), {
    stdin: from ? undefined : data,
    become: opts.become,
    becomeUser: opts.becomeUser,
  });
  if (r.rc !== 0) throw failed(host, `writing ${dest}`, r);
}

async function sftpPut(
  host: string,
  sftp: SFTPWrapper,
  exec: Exec,
  data: Buffer,
  dest: string,
  opts: PutOptions,
): Promise<void> {
  const tmp = tempBeside(dest);
  try {
    await writeRemote(sftp, tmp, data);
    const existing = await sftpCall<{ mode: number; uid: number; gid: number }>((cb) => sftp.stat(dest, cb)).catch(
      () => undefined,
    );
    const mode = opts.mode !== undefined ? octalMode(opts.mode) : existing ? existing.mode & 0o7777 : 0o644;
    const owner = ownerSpec(opts);
    if (owner) {
      const r = await exec(shellJoin(['chown', '--', owner, tmp]), {});
      if (r.rc !== 0) throw failed(host, `chown ${owner} ${dest}`, r);
    } else if (existing) {
      // Keep the replaced file's owner when allowed (root); otherwise it becomes ours.
      await sftpCall((cb) => sftp.chown(tmp, existing.uid, existing.gid, cb)).catch(() => undefined);
    }
    // Mode after owner: chown clears setuid and setgid bits.
    await sftpCall((cb) => sftp.chmod(tmp, mode, cb));
    await sftpCall((cb) => sftp.ext_openssh_rename(tmp, dest, cb));
  } catch (e) {
    await sftpCall((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
    if (e instanceof ModuleError) throw e;
    throw new ModuleError(`writing ${dest} on ${host} failed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export async function put(s: Session, exec: Exec, data: Buffer, dest: string, opts: PutOptions): Promise<void> {
  if (!dest.startsWith('/'))
    throw new ModuleError(`put needs an absolute destination path, got ${JSON.stringify(dest)}`);
  const becomeRoot = opts.become && (opts.becomeUser ?? 'root') === 'root';
  if (!opts.become || becomeRoot) {
    const done = await withSftp(s, async (sftp) => {
      if (!opts.become) return sftpPut(s.host, sftp, exec, data, dest, opts);
      // Upload as the login user to a private staging file, then let root move it into place.
      const staged = `/tmp/.herdbook-put-${randomBytes(6).toString('hex')}`;
      try {
        await writeRemote(sftp, staged, data);
      } catch (e) {
        throw new ModuleError(`staging ${dest} on ${s.host} failed: ${(e as Error).message}`, undefined, { cause: e });
      }
      try {
        await execPut(s.host, exec, data, dest, opts, staged);
      } finally {
        await sftpCall((cb) => sftp.unlink(staged, cb)).catch(() => undefined);
      }
    });
    if (done !== NO_SFTP) return;
  }
  // No sftp, or a non-root become user who could not read a staged file: stream over stdin.
  await execPut(s.host, exec, data, dest, opts);
}

export async function get(s: Session, exec: Exec, src: string, opts: GetOptions): Promise<Buffer> {
  if (!opts.become) {
    const data = await withSftp(s, (sftp) =>
      sftpCall<Buffer>((cb) => sftp.readFile(src, cb)).catch((e: Error) => {
        throw new ModuleError(`reading ${src} on ${s.host} failed: ${e.message}`, undefined, { cause: e });
      }),
    );
    if (data !== NO_SFTP) return data;
  }
  return getByCat(s.host, exec, src, opts);
}

/** A file's bytes through `cat` on the connection (with become when asked). */
export async function getByCat(host: string, exec: Exec, src: string, opts: GetOptions): Promise<Buffer> {
  // argv, not a shell line: the executor then execs cat itself, one process instead of sh and cat.
  const r = await exec(['cat', '--', src], { become: opts.become, becomeUser: opts.becomeUser });
  if (r.rc !== 0) throw failed(host, `reading ${src}`, r);
  return r.stdout;
}
