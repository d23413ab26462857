import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import { shell } from '../../modules/host/shell.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { tempTree } from '../helpers/tmp.js';

planFixtures(shell, path.join(import.meta.dirname, 'shell'));

describe('shell on a real host (local connection)', () => {
  const dir = tempTree({});
  const connection = new LocalConnection('local');
  const file = path.join(dir, 'config');
  beforeEach(() => writeFileSync(file, 'old\n'));

  it('runs pipes, redirections and variables', async () => {
    const r = await runModule(
      shell,
      `printf 'b\\na\\n' | sort | tr a-z A-Z; echo "$HOME" >/dev/null; echo to-err >&2`,
      { connection },
    );
    expect(r).toMatchObject({
      status: 'changed',
      data: { rc: 0, stdout: 'A\nB', stdout_lines: ['A', 'B'], stderr: 'to-err', stderr_lines: ['to-err'] },
    });
  });

  it('check mode runs nothing and still returns every result field', async () => {
    const r = await runModule(shell, `echo new > ${file}`, { connection }, { check: true });
    expect(r).toMatchObject({
      status: 'unknown',
      changes: [`run echo new > ${file}`],
      data: { rc: null, stdout: '', stderr: '', stdout_lines: [], cmd: `echo new > ${file}` },
    });
    expect(readFileSync(file, 'utf8')).toBe('old\n');
  });

  it('check_command predicts the change in check mode, without making it', async () => {
    const args = { cmd: `echo new > ${file}`, check_command: `grep -qx new ${file} && exit 1 || exit 0` };
    const dry = await runModule(shell, args, { connection }, { check: true });
    expect(dry).toMatchObject({ status: 'changed', msg: `would run echo new > ${file}` });
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    await runModule(shell, args, { connection });
    const settled = await runModule(shell, args, { connection }, { check: true });
    expect(settled).toMatchObject({ status: 'ok', msg: 'check_command says nothing would change' });
  });

  it('a check_command that neither says yes (0) nor no (1) fails, with its output', async () => {
    const r = await runModule(
      shell,
      { cmd: 'true', check_command: 'echo cannot tell >&2; exit 2' },
      { connection },
      { check: true },
    );
    expect(r).toMatchObject({
      status: 'failed',
      msg: 'check_command failed (exit 2): cannot tell; it must exit 0 (would change) or 1 (would not)',
    });
  });

  it('is idempotent with creates, and with removes', async () => {
    const made = path.join(dir, 'made');
    const args = { cmd: `touch ${made}`, creates: made };
    expect((await runModule(shell, args, { connection })).status).toBe('changed');
    expect((await runModule(shell, args, { connection })).msg).toBe(`skipped, since ${made} exists`);
    const rm = { cmd: `rm ${made}`, removes: made };
    expect((await runModule(shell, rm, { connection })).status).toBe('changed');
    expect(existsSync(made)).toBe(false);
    expect((await runModule(shell, rm, { connection })).msg).toBe(`skipped, since ${made} does not exist`);
  });

  it('honours chdir, stdin and executable', async () => {
    const r = await runModule(shell, { cmd: 'pwd; cat', chdir: dir, stdin: 'from stdin' }, { connection });
    expect(r.data.stdout).toBe(`${dir}\nfrom stdin`);
    const bash = await runModule(
      shell,
      { cmd: '[[ -n "$BASH_VERSION" ]] && echo bash', executable: '/bin/bash' },
      { connection },
    );
    expect(bash.data.stdout).toBe('bash');
    const sh = await runModule(shell, '[[ -n "$BASH_VERSION" ]] && echo bash', { connection });
    expect(sh.status).toBe('failed');
  });

  it('fails with the exit code and the last lines of stderr', async () => {
    const r = await runModule(shell, 'echo one >&2; echo two >&2; exit 7', { connection });
    expect(r).toMatchObject({ status: 'failed', msg: 'non-zero return code 7: one | two', data: { rc: 7 } });
  });

  it('refuses an empty script', async () => {
    const r = await runModule(shell, { cmd: '  ' }, { connection });
    expect(r).toMatchObject({ status: 'failed', msg: expect.stringContaining('shell needs a script') });
  });
});
