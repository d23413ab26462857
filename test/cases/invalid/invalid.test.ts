// Every folder here is a broken playbook or inventory with the diagnostics herdbook must give
// for it (expected.json: file, line, col, severity, message, hint). Each case is validated
// in-process; cases marked "cli" also run the real CLI (exit code, `file:line:col`, the code
// frame and its caret, no stack trace).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadInput } from '../../../engine/commands/load-input.js';
import type { CommandIO } from '../../../engine/commands/io.js';
import { InputError, type Diagnostic } from '../../../engine/errors.js';
import { NO_PAINT } from '../../../engine/report/diagnostics.js';

type Expected = {
  args: string[];
  generate?: Record<string, 'binary' | '50MB'>;
  cli: boolean;
  exit: number;
  diagnostics: {
    file: string | null;
    line: number | null;
    col: number | null;
    severity: 'error' | 'warning';
    message: string;
    hint?: string;
  }[];
};

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../../..');
const BIN = path.join(REPO, 'bin/herdbook.js');
const CASES = readdirSync(HERE)
  .filter((d) => /^\d\d-/.test(d) && statSync(path.join(HERE, d)).isDirectory())
  .sort();

const work = mkdtempSync(path.join(os.tmpdir(), 'herdbook-invalid-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A copy of the case in a temp dir (generated files never land in the repo), used as cwd. */
function prepare(name: string, exp: Expected): string {
  const dir = path.join(work, name);
  cpSync(path.join(HERE, name), dir, { recursive: true });
  for (const [rel, kind] of Object.entries(exp.generate ?? {})) {
    const file = path.join(dir, rel);
    if (kind === 'binary')
      writeFileSync(
        file,
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0x3e, 0, 1, 0, 0, 0]),
      );
    else writeFileSync(file, Buffer.alloc(50 * 1024 * 1024, '- hosts: all\n  tasks: []\n'));
  }
  return dir;
}

function splitArgs(args: string[]): { playbooks: string[]; inventory: string[]; extraVars: string[] } {
  const out = { playbooks: [] as string[], inventory: [] as string[], extraVars: [] as string[] };
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-i') out.inventory.push(args[++i]);
    else if (args[i] === '-e') out.extraVars.push(args[++i]);
    else out.playbooks.push(args[i]);
  }
  return out;
}

/** The validate command's input stage, in-process: every diagnostic, errors or only warnings. */
function diagnose(dir: string, args: string[]): Diagnostic[] {
  const io: CommandIO = { out: () => {}, err: () => {}, isTTY: false, paint: NO_PAINT };
  const a = splitArgs(args);
  const cwd = process.cwd();
  process.chdir(dir);
  try {
    return loadInput(
      a.playbooks,
      { inventory: a.inventory.length ? a.inventory : undefined, extraVars: a.extraVars },
      io,
    ).warnings;
  } catch (e) {
    if (e instanceof InputError) return e.diagnostics;
    throw e;
  } finally {
    process.chdir(cwd);
  }
}

const regexOf = (m: string) =>
  m.length > 2 && m.startsWith('/') && m.endsWith('/') ? new RegExp(m.slice(1, -1)) : undefined;

describe('test/cases/invalid', () => {
  it('has at least 30 cases, each with an expected.json', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    for (const c of CASES) expect(existsSync(path.join(HERE, c, 'expected.json')), c).toBe(true);
  });

  for (const name of CASES) {
    const exp = JSON.parse(readFileSync(path.join(HERE, name, 'expected.json'), 'utf8')) as Expected;

    it(`${name}: every diagnostic, where and what`, () => {
      const dir = prepare(name, exp);
      const got = diagnose(dir, exp.args).map((d) => ({
        file: d.pos ? path.relative(dir, path.resolve(dir, d.pos.file)) : null,
        line: d.pos?.line ?? null,
        col: d.pos?.col ?? null,
        severity: d.severity,
        message: d.message,
        hint: d.hint,
      }));
      const want = exp.diagnostics.map((d) => ({
        ...d,
        message: regexOf(d.message) ? expect.stringMatching(regexOf(d.message)!) : d.message,
        hint: d.hint,
      }));
      expect(got).toEqual(want);
      expect(got.some((d) => d.severity === 'error') ? 4 : 0).toBe(exp.exit);
    });

    if (exp.cli) {
      it(`${name}: the CLI exits ${exp.exit} and shows file:line:col, the line and a caret`, () => {
        const dir = path.join(work, name);
        if (!existsSync(dir)) prepare(name, exp);
        if (!existsSync(path.join(REPO, 'dist/engine/herdbook.bundle.js')))
          throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
        const r = spawnSync(process.execPath, [BIN, 'validate', ...exp.args], {
          cwd: dir,
          encoding: 'utf8',
          env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
        });
        expect(r.status, r.stderr).toBe(exp.exit);
        expect(r.stderr).not.toMatch(/^\s+at |internal error/m);
        const lines = r.stderr.split('\n');
        for (const d of exp.diagnostics) {
          const head = `${d.file}:${d.line}:${d.col}: ${d.severity}: `;
          const i = lines.findIndex(
            (l) =>
              l.startsWith(head) &&
              (regexOf(d.message)
                ? regexOf(d.message)!.test(l.slice(head.length))
                : l.slice(head.length) === d.message),
          );
          expect(i, `no line "${head}${d.message}" in:\n${r.stderr}`).toBeGreaterThanOrEqual(0);
          const source = readFileSync(path.join(dir, d.file!), 'latin1').split(/\r?\n/)[d.line! - 1] ?? '';
          // eslint-disable-next-line no-control-regex -- control characters are what marks a binary file
          if (/[\u0000-\u0008]/.test(source)) {
            // A binary line is never echoed to the terminal.
            expect(lines[i + 1] ?? '').not.toMatch(/^ \d+ \|/);
            continue;
          }
          const shown = source.replace(/\t/g, ' ');
          expect(lines[i + 1]).toBe(` ${d.line} | ${shown.length > 160 ? shown.slice(0, 160) + '…' : shown}`);
          expect(lines[i + 2]).toBe(` ${' '.repeat(String(d.line).length)} | ${' '.repeat(d.col! - 1)}^`);
          if (d.hint) expect(lines[i + 3]).toBe(`  = ${d.hint}`);
        }
        const errors = exp.diagnostics.filter((d) => d.severity === 'error').length;
        if (errors)
          expect(r.stderr.trimEnd().endsWith(`${errors} error${errors === 1 ? '' : 's'}; nothing was run.`)).toBe(true);
        else expect(r.stdout).toMatch(/^ok: 1 playbook/);
        // 07-huge-file makes the CLI parse megabytes: a loaded machine needs more than the default minute.
      }, 180_000);
    }
  }
});
