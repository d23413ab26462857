// Runs the built CLI (bin/herdbook.js → dist/) as a user would: a fresh process, plain output.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/herdbook.js');

export type CliResult = { code: number | null; stdout: string; stderr: string };

/** `env`: added to (or, with undefined values, removed from) the test's environment. */
export function herdbook(args: string[], cwd: string, env: Record<string, string | undefined> = {}): CliResult {
  if (!existsSync(path.join(REPO, 'dist/engine/herdbook.bundle.js')))
    throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1', ...env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** No stack trace, no "internal error": what a user sees when herdbook is working as designed. */
export function expectNoCrash(r: CliResult): void {
  if (/^\s+at |internal error/m.test(r.stderr)) throw new Error(`herdbook crashed:\n${r.stderr}`);
}
