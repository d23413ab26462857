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
});
