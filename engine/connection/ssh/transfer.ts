// put/get. Files land atomically: written to a temp file in the destination's directory, given
// their mode and owner, then renamed over the destination, so readers never see half a file.
// SFTP when the server has it; otherwise (or to reach a non-root become user) `cat` over exec.
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { SFTPWrapper } from 'ssh2';
import { ModuleError } from '../../errors.js';
import { shellJoin, shellQuote } from '../quote.js';
import type { CommandSpec, GetOptions, PutOptions } from '../types.js';
import type { RawResult } from './exec.js';
import { openSftp, type Session } from './session.js';

/** Runs a command on the same connection (with become when asked), keeping all of stdout. */
export type Exec = (cmd: CommandSpec, opts: { stdin?: Buffer; become?: boolean; becomeUser?: string }) => Promise<RawResult>;

function octal(mode: string | number): number {
  const n = typeof mode === 'number' ? mode : parseInt(mode, 8);
  if (!Number.isInteger(n) || n < 0 || n > 0o7777) throw new ModuleError(`invalid file mode ${JSON.stringify(mode)}`);
  return n;
}

function tempBeside(dest: string): string {
  return path.posix.join(path.posix.dirname(dest), `.${path.posix.basename(dest)}.herdbook-${randomBytes(6).toString('hex')}.tmp`);
}

function ownerSpec(opts: PutOptions): string | undefined {
  if (opts.owner && opts.group) return `${opts.owner}:${opts.group}`;
  if (opts.owner) return opts.owner;
  if (opts.group) return `:${opts.group}`;
  return undefined;
}

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

/**
 * The shell script that finishes a put on the host: fill the temp file (from stdin or a staged
 * upload), give it the wanted or the existing mode and owner, rename it over `dest`.
 */
export function finishScript(dest: string, opts: PutOptions, from?: string): string {
  const tmp = tempBeside(dest);
  const q = shellQuote;
  const owner = ownerSpec(opts);
  const cleanup = from ? `rm -f -- "$tmp" ${q(from)}` : `rm -f -- "$tmp"`;
  return [
    'set -e',
    `tmp=${q(tmp)}`,
    `trap '${cleanup.replace(/'/g, `'\\''`)}' EXIT`,
    'umask 077',
    from ? `cat -- ${q(from)} > "$tmp"` : 'cat > "$tmp"',
    opts.mode !== undefined
      ? `chmod ${octal(opts.mode).toString(8).padStart(4, '0')} "$tmp"`
      : `if [ -e ${q(dest)} ]; then chmod "$(stat -c %a -- ${q(dest)})" "$tmp"; else chmod 0644 "$tmp"; fi`,
    owner
      ? `chown -- ${q(owner)} "$tmp"`
      : `if [ -e ${q(dest)} ]; then chown "$(stat -c %u:%g -- ${q(dest)})" "$tmp" 2>/dev/null || true; fi`,
    `mv -f -- "$tmp" ${q(dest)}`,
  ].join('\n');
}

function failed(host: string, what: string, r: RawResult): ModuleError {
  const why = r.stderr.toString('utf8').trim() || `exit status ${r.rc}`;
  return new ModuleError(`${what} on ${host} failed: ${why}`, { rc: r.rc });
}

async function execPut(host: string, exec: Exec, data: Buffer, dest: string, opts: PutOptions, from?: string): Promise<void> {
  const r = await exec(finishScript(dest, opts, from), { stdin: from ? undefined : data, become: opts.become, becomeUser: opts.becomeUser });
  if (r.rc !== 0) throw failed(host, `writing ${dest}`, r);
}

async function sftpPut(host: string, sftp: SFTPWrapper, exec: Exec, data: Buffer, dest: string, opts: PutOptions): Promise<void> {
  const tmp = tempBeside(dest);
  try {
    await writeRemote(sftp, tmp, data);
    const existing = await sftpCall<{ mode: number; uid: number; gid: number }>((cb) => sftp.stat(dest, cb)).catch(() => undefined);
    const mode = opts.mode !== undefined ? octal(opts.mode) : existing ? existing.mode & 0o7777 : 0o644;
    await sftpCall((cb) => sftp.chmod(tmp, mode, cb));
    const owner = ownerSpec(opts);
    if (owner) {
      const r = await exec(shellJoin(['chown', '--', owner, tmp]), {});
      if (r.rc !== 0) throw failed(host, `chown ${owner} ${dest}`, r);
    } else if (existing) {
      // Keep the replaced file's owner when allowed (root); otherwise it becomes ours.
      await sftpCall((cb) => sftp.chown(tmp, existing.uid, existing.gid, cb)).catch(() => undefined);
    }
    await sftpCall((cb) => sftp.ext_openssh_rename(tmp, dest, cb));
  } catch (e) {
    await sftpCall((cb) => sftp.unlink(tmp, cb)).catch(() => undefined);
    if (e instanceof ModuleError) throw e;
    throw new ModuleError(`writing ${dest} on ${host} failed: ${(e as Error).message}`, undefined, { cause: e });
  }
}

export async function put(s: Session, exec: Exec, data: Buffer, dest: string, opts: PutOptions): Promise<void> {
  if (!dest.startsWith('/')) throw new ModuleError(`put needs an absolute destination path, got ${JSON.stringify(dest)}`);
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
  const r = await exec(shellJoin(['cat', '--', src]), { become: opts.become, becomeUser: opts.becomeUser });
  if (r.rc !== 0) throw failed(s.host, `reading ${src}`, r);
  return r.stdout;
}
