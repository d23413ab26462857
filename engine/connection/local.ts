// The `local` connection: commands run on the controller itself (argv without a shell),
// files written atomically (through sudo when becoming another user). Used for localhost, delegate_to: localhost, and tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type {
  AgentProcess,
  CommandSpec,
  Connection,
  ExecOptions,
  ExecResult,
  GetOptions,
  PutOptions,
} from './types.js';
import { spawnAgent } from './executor/local-agent.js';
import { shellJoin } from './quote.js';
import { PassThrough, type Readable } from 'node:stream';
import { becomeArgv, sudoMarkers } from './become.js';
import { envFromStdin } from './env-stdin.js';
import { InterruptedError } from '../errors.js';
import { collectOutput } from './output.js';
import { createSudoFilter, type SudoFilter } from './sudo-filter.js';
import { octalMode, ownerSpec, putScript } from './put-script.js';
import { setLongTimeout } from '../timers.js';

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
    if (opts.cwd) {
      const cd = `cd ${shellJoin([opts.cwd])} && `;
      argv = ['/bin/sh', '-c', typeof cmd === 'string' ? cd + cmd : `${cd}exec ${shellJoin(argv)}`];
    }
    // As the ssh connection: nothing new starts once the run is aborted.
    if (opts.signal?.aborted) return Promise.reject(new InterruptedError());
    const alreadyThere = this.alreadyThere(opts.becomeUser);
    const becoming = opts.become && !alreadyThere;
    let env = opts.env && Object.keys(opts.env).length ? opts.env : undefined;
    let stdin = opts.stdin;
    if (becoming && env) {
      // sudo's env_reset drops the caller's environment: the values go ahead of stdin instead
      // (never on sudo's command line, which its log records).
      const moved = envFromStdin(env, argv, stdin);
      argv = moved.argv;
      stdin = moved.stdin;
      env = undefined;
    }
    const password = becoming ? this.settings.becomePassword : undefined;
    const markers = password ? sudoMarkers() : undefined;
    if (becoming) argv = becomeArgv(argv, opts.becomeUser, markers);
    return new Promise((resolve, reject) => {
      const child = spawn(argv[0], argv.slice(1), {
        env: env ? { ...this.baseEnv, ...env } : this.baseEnv,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
      });
      const writeStdin = () => (stdin !== undefined ? child.stdin.end(stdin) : child.stdin.end());
      let filter: SudoFilter | undefined;
      if (markers) {
        filter = createSudoFilter(markers, {
          writePassword: () => child.stdin.write(`${password}\n`),
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
      const out = collectOutput(through(child.stdout, filter?.stdout), opts.onStdout, opts.maxBuffer);
      const err = collectOutput(through(child.stderr, filter?.stderr), opts.onStderr, opts.maxBuffer);
      let timedOut = false;
      const kill = (sig: NodeJS.Signals) => {
        try {
          // The whole process group, so `sh -c` children die too.
          if (child.pid) process.kill(-child.pid, sig);
        } catch {
          /* already gone */
        }
      };
      const timer = opts.timeout ? setLongTimeout(() => ((timedOut = true), kill('SIGKILL')), opts.timeout) : undefined;
      const onAbort = () => kill('SIGTERM');
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      child.on('error', (e) => {
        timer?.clear();
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') resolve({ rc: 127, stdout: '', stderr: `${argv[0]}: command not found` });
        else reject(e);
      });
      child.stdin.on('error', () => undefined);
      // With a become password, stdin waits for the command's start marker (see become.ts).
      if (!markers) writeStdin();
      child.on('close', (code, signal) => {
        timer?.clear();
        opts.signal?.removeEventListener('abort', onAbort);
        const o = out.result();
        const e = err.result();
        resolve({
          rc: code ?? (signal ? 128 + 9 : 1),
          stdout: o.text,
          stderr: e.text,
          signal: signal ?? undefined,
          timedOut: timedOut || undefined,
          truncated: o.truncated || e.truncated || undefined,
        });
      });
    });
  }

  /** Already root and becoming root: sudo would add nothing (and may not be installed). */
  private alreadyThere(becomeUser: string | undefined): boolean {
    return process.getuid?.() === 0 && (!becomeUser || becomeUser === 'root');
  }

  async put(data: Buffer | string, dest: string, opts: PutOptions = {}): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    // As another user: that user writes the file (sudo), as the ssh connection does.
    if (opts.become && !this.alreadyThere(opts.becomeUser)) {
      const r = await this.exec(['/bin/sh', '-c', putScript(dest, opts)], {
        become: true,
        becomeUser: opts.becomeUser,
        stdin: bytes,
      });
      if (r.rc !== 0)
        throw new Error(`writing ${dest} as ${opts.becomeUser ?? 'root'}: ${r.stderr.trim() || `exit ${r.rc}`}`);
      return;
    }
    const mode = opts.mode !== undefined ? octalMode(opts.mode) : undefined;
    const existing = await stat(dest).catch(() => undefined);
    const tmp = path.join(path.dirname(dest), `.herdbook-${randomBytes(6).toString('hex')}.tmp`);
    // Private from the first byte: a key must not be readable by others before the chmod.
    const fh = await open(tmp, 'wx', 0o600);
    try {
      try {
        await fh.writeFile(bytes);
        // Owner before mode: chown clears setuid and setgid bits.
        const owner = ownerSpec(opts);
        if (owner) {
          const r = await this.exec(['chown', '--', owner, tmp]);
          if (r.rc !== 0) throw new Error(`chown ${owner} ${dest}: ${r.stderr.trim() || `exit ${r.rc}`}`);
        } else if (existing) {
          // Keep the replaced file's owner when allowed (root); otherwise it becomes ours.
          await fh.chown(existing.uid, existing.gid).catch(() => undefined);
        }
        await fh.chmod(mode ?? (existing ? existing.mode & 0o7777 : 0o644));
      } finally {
        await fh.close();
      }
      await rename(tmp, dest);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
  }

  async get(src: string, opts: GetOptions = {}): Promise<Buffer> {
    if (!opts.become || this.alreadyThere(opts.becomeUser)) return readFile(src);
    // Raw chunks: stdout as text would mangle every byte that is not UTF-8.
    // maxBuffer 0 keeps no copy of either stream in the result: stderr is collected here too.
    const chunks: Buffer[] = [];
    const errs: Buffer[] = [];
    const r = await this.exec(['cat', '--', src], {
      become: true,
      becomeUser: opts.becomeUser,
      onStdout: (b) => chunks.push(b),
      onStderr: (b) => errs.push(b),
      maxBuffer: 0,
    });
    if (r.rc !== 0)
      throw new Error(`cannot read ${src}: ${Buffer.concat(errs).toString('utf8').trim() || `exit ${r.rc}`}`);
    return Buffer.concat(chunks);
  }

  /** A long-lived child process (a container's executor agent through `pct exec` on this machine). */
  spawn(argv: readonly string[]): Promise<AgentProcess> {
    return Promise.resolve(spawnAgent(argv, this.baseEnv));
  }

  async close(): Promise<void> {}
}
