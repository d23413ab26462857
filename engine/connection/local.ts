// The `local` connection: commands run on the controller itself (argv without a shell),
// files written atomically. Used for localhost, delegate_to: localhost, and tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { CommandSpec, Connection, ExecOptions, ExecResult, GetOptions, PutOptions } from './types.js';
import { shellJoin } from './quote.js';
import { PassThrough, type Readable } from 'node:stream';
import { becomeArgv, sudoMarkers } from './become.js';
import { collectOutput } from './output.js';
import { createSudoFilter, type SudoFilter } from './sudo-filter.js';

export class LocalConnection implements Connection {
  readonly kind = 'local';
  // process.env read once: spawn() enumerating it on every command cost more CPU than the
  // rest of the engine per task and host (each read of process.env calls into C++).
  private readonly baseEnv: NodeJS.ProcessEnv = { ...process.env };
  constructor(
    readonly host: string,
    private readonly settings: { becomePassword?: string } = {},
  ) {}

  exec(cmd: CommandSpec, opts: ExecOptions = {}): Promise<ExecResult> {
    let argv = typeof cmd === 'string' ? ['/bin/sh', '-c', cmd] : [...cmd];
    if (opts.cwd && typeof cmd !== 'string') argv = ['/bin/sh', '-c', `cd ${shellJoin([opts.cwd])} && exec ${shellJoin(argv)}`];
    else if (opts.cwd) argv = ['/bin/sh', '-c', `cd ${shellJoin([opts.cwd])} && ${cmd}`];
    // Already root and becoming root: sudo would add nothing (and may not be installed).
    const alreadyThere = process.getuid?.() === 0 && (!opts.becomeUser || opts.becomeUser === 'root');
    const password = opts.become && !alreadyThere ? this.settings.becomePassword : undefined;
    const markers = password ? sudoMarkers() : undefined;
    if (opts.become && !alreadyThere) argv = becomeArgv(argv, opts.becomeUser, markers);
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), {
        env: opts.env && Object.keys(opts.env).length ? { ...this.baseEnv, ...opts.env } : this.baseEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      const writeStdin = () => (opts.stdin !== undefined ? child.stdin!.end(opts.stdin) : child.stdin!.end());
      let filter: SudoFilter | undefined;
      if (markers) {
        filter = createSudoFilter(markers, {
          writePassword: () => child.stdin!.write(`${password}\n`),
          started: writeStdin,
          refuse: () => kill('SIGKILL'),
        });
      }
      const through = (src: Readable, f?: (b: Buffer) => Buffer): Readable => {
        if (!f) return src;
        const pt = new PassThrough();
        src.on('data', (b: Buffer) => {
          const kept = f(b);
          if (kept.length) pt.write(kept);
        });
        src.on('end', () => pt.end());
        return pt;
      };
      const out = collectOutput(through(child.stdout!, filter?.stdout), opts.onStdout, opts.maxBuffer);
      const err = collectOutput(through(child.stderr!, filter?.stderr), opts.onStderr, opts.maxBuffer);
      let timedOut = false;
      const kill = (sig: NodeJS.Signals) => {
        try {
          // The whole process group, so `sh -c` children die too.
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          /* already gone */
        }
      };
      const timer = opts.timeout ? setTimeout(() => ((timedOut = true), kill('SIGKILL')), opts.timeout) : undefined;
      const onAbort = () => kill('SIGTERM');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => {
        clearTimeout(timer);
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') resolve({ rc: 127, stdout: '', stderr: `${argv[0]}: command not found` });
        else reject(e);
      });
      child.stdin!.on('error', () => undefined);
      // With a become password, stdin waits for the command's start marker (see become.ts).
      if (!markers) writeStdin();
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        const o = out.result();
        const e = err.result();
        resolve({ rc: code ?? (signal ? 128 + 9 : 1), stdout: o.text, stderr: e.text, signal: signal ?? undefined, timedOut: timedOut || undefined, truncated: o.truncated || e.truncated || undefined });
      });
    });
  }

  async put(data: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
    const tmp = path.join(path.dirname(dest), `.herdbook-${randomBytes(6).toString('hex')}.tmp`);
    await writeFile(tmp, data);
    try {
      await this.setAttributes(tmp, opts);
      await rename(tmp, dest);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  private async setAttributes(file: string, opts: PutOptions): Promise<void> {
    const cmds: string[][] = [];
    if (opts.mode !== undefined) cmds.push(['chmod', typeof opts.mode === 'number' ? opts.mode.toString(8) : opts.mode, file]);
    if (opts.owner || opts.group) cmds.push(['chown', `${opts.owner ?? ''}${opts.group ? ':' + opts.group : ''}`, file]);
    for (const c of cmds) {
      const r = await this.exec(c, { become: opts.become, becomeUser: opts.becomeUser });
      if (r.rc !== 0) throw new Error(`${c.join(' ')}: ${r.stderr.trim() || `exit ${r.rc}`}`);
    }
  }

  async get(src: string, opts: GetOptions = {}): Promise<Buffer> {
    if (!opts.become) return readFile(src);
    const r = await this.exec(['cat', src], { become: true, becomeUser: opts.becomeUser, maxBuffer: 512 * 1024 * 1024 });
    if (r.rc !== 0) throw new Error(`cannot read ${src}: ${r.stderr.trim()}`);
    return Buffer.from(r.stdout, 'binary');
  }

  async close(): Promise<void> {}
}
