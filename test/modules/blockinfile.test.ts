import { readFileSync, symlinkSync, writeFileSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { blockinfile } from '../../modules/host/blockinfile.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { localTemp } from './host-helpers.js';

planFixtures(blockinfile, path.join(import.meta.dirname, 'blockinfile'));

describe('blockinfile on the local connection', () => {
  const tmp = localTemp('blockinfile');
  const { connection } = tmp;
  const unit = '[Service]\nExecStart=/usr/local/bin/k3s server\n';
  const block = "ExecStartPre=-/bin/sh -c 'test -e /dev/kmsg || ln -s /dev/console /dev/kmsg'";

  it('check mode shows the block in a diff and writes nothing; then inserts once', async () => {
    const p = tmp.at('k3s.service');
    writeFileSync(p, unit);
    const args = { path: p, block, marker: '# {mark} kmsg fix', insertbefore: '^ExecStart=', backup: true };
    const check = await runModule(blockinfile, args, { connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.diff?.[0].after).toBe(
      `[Service]\n# BEGIN kmsg fix\n${block}\n# END kmsg fix\nExecStart=/usr/local/bin/k3s server\n`,
    );
    expect(readFileSync(p, 'utf8')).toBe(unit);
    const r = await runModule(blockinfile, args, { connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(p, 'utf8')).toBe(check.diff?.[0].after);
    expect(readFileSync(r.data.backup_file as string, 'utf8')).toBe(unit);
    expect((await runModule(blockinfile, args, { connection })).status).toBe('ok');
  });

  it('two markers keep two blocks apart; removing one leaves the other', async () => {
    const p = tmp.at('hosts');
    writeFileSync(p, '127.0.0.1 localhost\n');
    await runModule(blockinfile, { path: p, block: '10.0.0.1 a', marker: '# {mark} servers' }, { connection });
    await runModule(blockinfile, { path: p, block: '10.0.1.1 b', marker: '# {mark} agents' }, { connection });
    await runModule(
      blockinfile,
      { path: p, block: '10.0.0.1 a\n10.0.0.2 c', marker: '# {mark} servers' },
      { connection },
    );
    expect(readFileSync(p, 'utf8')).toBe(
      '127.0.0.1 localhost\n# BEGIN servers\n10.0.0.1 a\n10.0.0.2 c\n# END servers\n# BEGIN agents\n10.0.1.1 b\n# END agents\n',
    );
    const r = await runModule(blockinfile, { path: p, marker: '# {mark} servers', state: 'absent' }, { connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(p, 'utf8')).toBe('127.0.0.1 localhost\n# BEGIN agents\n10.0.1.1 b\n# END agents\n');
    expect(
      (await runModule(blockinfile, { path: p, marker: '# {mark} servers', state: 'absent' }, { connection })).status,
    ).toBe('ok');
  });

  it('edits the target of a symlink and keeps the link', async () => {
    const real = tmp.at('real.conf');
    writeFileSync(real, 'a\n');
    const link = tmp.at('link.conf');
    symlinkSync('real.conf', link);
    const r = await runModule(blockinfile, { path: link, block: 'b' }, { connection });
    expect(r.status).toBe('changed');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readFileSync(real, 'utf8')).toBe('a\n# BEGIN ANSIBLE MANAGED BLOCK\nb\n# END ANSIBLE MANAGED BLOCK\n');
  });

  it('refuses a marker without {mark}', async () => {
    const r = await runModule(
      blockinfile,
      { path: tmp.at('x'), block: 'b', marker: '# managed', create: true },
      { connection },
    );
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/marker must contain \{mark\}/);
  });
});
