// End-to-end runs through the real CLI (`node bin/herdbook.js`, the compiled dist/: run
// `npm run build` first, as `npm test` does) against `connection: local` hosts, with the
// NDJSON events parsed for assertions.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import type { HostCounts, RunEvent, Status } from '../../engine/report/events.js';
import { tempTree } from '../helpers/tmp.js';

export const ROOT = path.resolve(import.meta.dirname, '../..');
/** HERDBOOK_BIN runs these tests against another build (e.g. a deliberately broken one, to see them fail). */
export const BIN = process.env.HERDBOOK_BIN ?? path.join(ROOT, 'bin/herdbook.js');

if (!existsSync(path.join(path.dirname(BIN), '../dist/engine/herdbook.bundle.js')))
  throw new Error('dist/ is missing: run `npm run build` before the end-to-end tests');

export type Run = { code: number | null; signal: string | null; stdout: string; stderr: string; events: RunEvent[] };

export type RunOptions = { cwd?: string; env?: Record<string, string | undefined>; timeoutMs?: number };

/** A clean environment: no colours unless asked, not CI (the plain reporter is chosen by the pipe). */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['FORCE_COLOR', 'NO_COLOR', 'CI', 'GITHUB_ACTIONS']) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function herdbook(args: string[], opts: RunOptions = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: cliEnv(opts.env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 50_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const json = args[args.lastIndexOf('--output') + 1] === 'json' && args.includes('--output');
      try {
        resolve({ code, signal, stdout, stderr, events: json ? parseEvents(stdout) : [] });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** Every stdout line must be one JSON event: `--output json` prints nothing else there. */
export function parseEvents(stdout: string): RunEvent[] {
  return stdout
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as RunEvent;
      } catch {
        throw new Error(`stdout line is not JSON: ${l}`);
      }
    });
}

export type Workspace = {
  dir: string;
  /** An absolute path inside the workspace. */
  at(...rel: string[]): string;
  inventory: string;
  /** Empty every host's `out` directory (and the shared out/), for a test that starts afresh. */
  clean(): void;
  /** `herdbook run <playbook> -i <inventory> --output json ...` in this workspace. */
  run(playbook: string, ...flags: string[]): Promise<Run>;
  /** The same without --output json: the plain (or, on a terminal, live) output. */
  runText(playbook: string, ...flags: string[]): Promise<Run>;
  runWith(opts: RunOptions, playbook: string, ...flags: string[]): Promise<Run>;
};

/** Inventory hosts, all `connection: local`; each gets `out` = its own directory in the workspace. */
export function localHosts(
  names: string[],
  extra: Record<string, Record<string, unknown>> = {},
  groups: Record<string, string[]> = {},
) {
  return { names, extra, groups };
}

/**
 * A temp directory with the given files and an inventory (inventory.yaml) of local hosts.
 * Every host's `out` variable is `<dir>/out/<host>`, created up front, so tasks write
 * under `{{out}}` (their own path) and tests read the files back.
 */
export function workspace(
  files: Record<string, string | object>,
  hosts: ReturnType<typeof localHosts> = localHosts(['h1', 'h2', 'h3']),
): Workspace {
  const texts = Object.fromEntries(
    Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : stringify(v, { version: '1.1' })]),
  );
  const dir = tempTree(texts);
  const inv = {
    all: {
      vars: { ansible_connection: 'local', out_root: path.join(dir, 'out') },
      hosts: Object.fromEntries(
        hosts.names.map((h) => [h, { out: path.join(dir, 'out', h), ...(hosts.extra[h] ?? {}) }]),
      ),
      children: Object.fromEntries(
        Object.entries(hosts.groups).map(([g, members]) => [
          g,
          { hosts: Object.fromEntries(members.map((m) => [m, null])) },
        ]),
      ),
    },
  };
  const inventory = path.join(dir, 'inventory.yaml');
  if (texts['inventory.yaml'] === undefined) tempWrite(inventory, stringify(inv, { version: '1.1' }));
  const clean = () => {
    rmSync(path.join(dir, 'out'), { recursive: true, force: true });
    for (const h of hosts.names) mkdirSync(path.join(dir, 'out', h), { recursive: true });
  };
  clean();
  const ws: Workspace = {
    dir,
    at: (...rel) => path.join(dir, ...rel),
    inventory,
    clean,
    run: (playbook, ...flags) => ws.runWith({}, playbook, ...flags),
    runText: (playbook, ...flags) =>
      herdbook(['run', path.join(dir, playbook), '-i', inventory, ...flags], { cwd: dir }),
    runWith: (opts, playbook, ...flags) =>
      herdbook(['run', path.join(dir, playbook), '-i', inventory, '--output', 'json', ...flags], { cwd: dir, ...opts }),
  };
  return ws;
}

function tempWrite(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

type Result = Extract<RunEvent, { type: 'task_result' }>;
type Recap = Extract<RunEvent, { type: 'recap' }>;

export function ofType<T extends RunEvent['type']>(events: RunEvent[], type: T): Extract<RunEvent, { type: T }>[] {
  return events.filter((e): e is Extract<RunEvent, { type: T }> => e.type === type);
}

/** Results of one task (by title), in the order they were emitted. */
export function results(events: RunEvent[], task: string): Result[] {
  return ofType(events, 'task_result').filter((e) => e.task === task);
}

/** host → status for one task. */
export function statuses(events: RunEvent[], task: string): Record<string, Status> {
  return Object.fromEntries(results(events, task).map((e) => [e.host, e.ignored ? ('ignored' as Status) : e.status]));
}

/** Task titles in the order they started (each once per start). */
export function taskStarts(events: RunEvent[]): string[] {
  return ofType(events, 'task_start').map((e) => e.task);
}

export function recap(events: RunEvent[]): Recap {
  const r = ofType(events, 'recap');
  if (r.length !== 1) throw new Error(`expected one recap event, got ${r.length}`);
  return r[0];
}

export function counts(events: RunEvent[], host: string): HostCounts {
  const c = recap(events).hosts[host];
  if (!c) throw new Error(`no recap line for ${host}`);
  return c;
}

/** Only the counts that are not zero: readable in assertions. */
export function nonZero(c: HostCounts): Partial<HostCounts> {
  return Object.fromEntries(Object.entries(c).filter(([, n]) => n !== 0));
}

/** A helpful message on failure: the run's stderr and the last events. */
export function explain(r: Run): string {
  return `exit ${r.code}\nstderr:\n${r.stderr}\nstdout:\n${r.stdout.split('\n').slice(-30).join('\n')}`;
}
