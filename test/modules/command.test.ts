import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalConnection } from '../../engine/connection/local.js';
import { command } from '../../modules/host/command.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(command, path.join(import.meta.dirname, 'command'));

describe('command on a real host (local connection)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-command-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const connection = new LocalConnection('local');
  const target = path.join(dir, 'made');

  it('check mode runs nothing and still returns every result field', async () => {
    const r = await runModule(command, { argv: ['touch', target] }, { connection }, { check: true });
    expect(r.status).toBe('unknown');
    expect(r.data).toMatchObject({ rc: null, stdout: '', stderr: '', stdout_lines: [] });
    expect(existsSync(target)).toBe(false);
  });

  it('check mode with creates predicts the change without making it', async () => {
    const r = await runModule(command, { argv: ['touch', target], creates: target }, { connection }, { check: true });
    expect(r.status).toBe('changed');
    expect(r.changes).toEqual([`run touch ${target}`]);
    expect(existsSync(target)).toBe(false);
  });

  it('is idempotent with creates: the second run changes nothing', async () => {
    const first = await runModule(command, { argv: ['touch', target], creates: target }, { connection });
    expect(first.status).toBe('changed');
    expect(existsSync(target)).toBe(true);
    const second = await runModule(command, { argv: ['touch', target], creates: target }, { connection });
    expect(second.status).toBe('ok');
    expect(second.msg).toBe(`skipped, since ${target} exists`);
  });

  it('fails with the exit code and stderr', async () => {
    const r = await runModule(command, { argv: ['ls', path.join(dir, 'nope')] }, { connection });
    expect(r.status).toBe('failed');
    expect(r.data.rc).toBe(2);
    expect(r.msg).toMatch(/non-zero return code 2: .*No such file/);
  });

  it('passes words literally, never through a shell', async () => {
    const r = await runModule(command, { argv: ['echo', '$(id)', ';', 'rm -rf /', "'q'"] }, { connection });
    expect(r.data.stdout).toBe("$(id) ; rm -rf / 'q'");
  });

  it('removes: runs only while the path exists', async () => {
    const gone = path.join(dir, 'gone');
    expect((await runModule(command, { argv: ['touch', gone] }, { connection })).status).toBe('changed');
    const args = { argv: ['rm', gone], removes: gone };
    expect((await runModule(command, args, { connection }, { check: true })).status).toBe('changed');
    expect(existsSync(gone)).toBe(true);
    expect((await runModule(command, args, { connection })).status).toBe('changed');
    expect((await runModule(command, args, { connection })).msg).toBe(`skipped, since ${gone} does not exist`);
  });

  it('honours chdir and stdin, and relative creates paths under chdir', async () => {
    const r = await runModule(command, { cmd: 'cat', stdin: 'in' }, { connection });
    expect(r.data.stdout).toBe('in');
    const pwd = await runModule(command, { cmd: 'pwd', chdir: dir }, { connection });
    expect(pwd.data.stdout).toBe(dir);
    const rel = await runModule(command, { cmd: 'touch rel', chdir: dir, creates: 'rel' }, { connection });
    expect(rel.status).toBe('changed');
    expect((await runModule(command, { cmd: 'touch rel', chdir: dir, creates: 'rel' }, { connection })).status).toBe(
      'ok',
    );
  });

  it('check_command runs only in check mode and predicts', async () => {
    const yes = await runModule(
      command,
      { argv: ['touch', path.join(dir, 'never')], check_command: ['true'] },
      { connection },
      { check: true },
    );
    expect(yes.status).toBe('changed');
    const no = await runModule(
      command,
      { argv: ['touch', path.join(dir, 'never')], check_command: 'exit 1' },
      { connection },
      { check: true },
    );
    expect(no.status).toBe('ok');
    expect(existsSync(path.join(dir, 'never'))).toBe(false);
  });

  it('reports a missing program as rc 127', async () => {
    const r = await runModule(command, 'no-such-program-here --x', { connection });
    expect(r).toMatchObject({ status: 'failed', data: { rc: 127 } });
  });
});
