import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lineinfile } from '../../modules/host/lineinfile.js';
import { ensureLine } from '../../modules/host/lineinfile-edit.js';
import { expandTemplate, pyRegex } from '../../modules/host/py-regex.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(lineinfile, path.join(import.meta.dirname, 'lineinfile'));

describe('Python regular expressions', () => {
  it.each([
    ['(?P<k>\\w+)=(?P=k)', 'a=a', true],
    ['(?i)^permitrootlogin', 'PermitRootLogin yes', true],
    ['\\Afoo\\Z', 'foo', true],
    ['\\Afoo\\Z', 'xfoo', false],
    ['^a\\.b$', 'axb', false],
  ])('%s on %s → %s', (re, text, want) => {
    expect(pyRegex(re, 'regexp').test(text)).toBe(want);
  });

  it('expands \\1, \\g<name>, \\g<0> and escapes like Python', () => {
    const m = pyRegex('^(?P<key>\\w+)=(\\w*)(x)?', 'r').exec('port=22')!;
    expect(expandTemplate('\\g<key>: \\2 [\\3] <\\g<0>>\\t.', m)).toBe('port: 22 [] <port=22>\t.');
    expect(() => expandTemplate('\\4', m)).toThrow(/no group 4/);
  });

  it('says which argument is not a valid regexp', () => {
    expect(() => ensureLine('a\n', { line: 'x', regexp: '(' })).toThrow(/regexp is not a valid regular expression: \(/);
  });
});

describe('lineinfile on the local connection', () => {
  const tmp = localTemp('lineinfile');
  const { connection } = tmp;

  it('check mode reports the diff and writes nothing; then applies once and settles', async () => {
    const p = tmp.at('sshd_config');
    writeFileSync(p, 'Port 22\n#PermitRootLogin yes\n', { mode: 0o600 });
    const args = { path: p, regexp: '^#?PermitRootLogin', line: 'PermitRootLogin no', backup: true };
    const check = await runModule(lineinfile, args, { connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.diff).toEqual([
      { path: p, before: 'Port 22\n#PermitRootLogin yes\n', after: 'Port 22\nPermitRootLogin no\n' },
    ]);
    expect(readFileSync(p, 'utf8')).toBe('Port 22\n#PermitRootLogin yes\n');
    const r = await runModule(lineinfile, args, { connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(p, 'utf8')).toBe('Port 22\nPermitRootLogin no\n');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(readFileSync(r.data.backup_file as string, 'utf8')).toBe('Port 22\n#PermitRootLogin yes\n');
    const again = await runModule(lineinfile, args, { connection });
    expect(again.status).toBe('ok');
  });

  it('creates a missing file with create: true, and refuses without it', async () => {
    const p = tmp.at('new', 'dir', 'k3s.env');
    const refused = await runModule(lineinfile, { path: p, line: 'A=1' }, { connection });
    expect(refused.status).toBe('failed');
    const r = await runModule(lineinfile, { path: p, line: 'A=1', create: true, mode: '0600' }, { connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(p, 'utf8')).toBe('A=1\n');
    expect(statSync(p).mode & 0o777).toBe(0o600);
    expect(
      (await runModule(lineinfile, { path: p, line: 'A=1', create: true, mode: '0600' }, { connection })).status,
    ).toBe('ok');
  });

  it('removes lines; a failing validate keeps the file', async () => {
    const p = tmp.at('hosts');
    writeFileSync(p, 'a\n10.0.0.1 pi-1\nb\n');
    const bad = await runModule(
      lineinfile,
      { path: p, regexp: 'pi-1', state: 'absent', validate: 'grep -q pi-1 %s' },
      { connection },
    );
    expect(bad.status).toBe('failed');
    expect(readFileSync(p, 'utf8')).toBe('a\n10.0.0.1 pi-1\nb\n');
    const r = await runModule(lineinfile, { path: p, regexp: 'pi-1', state: 'absent' }, { connection });
    expect(r.data).toMatchObject({ found: 1, msg: '1 line(s) removed' });
    expect(readFileSync(p, 'utf8')).toBe('a\nb\n');
  });
});

describe('lineinfile over real sshd', () => {
  const h = fleetHost('lineinfile-node');

  it('edits a node file through the connection, literally, and is idempotent', async () => {
    const remote = '/etc/rancher/k3s/k3s.env';
    const line = `K3S_TOKEN='$(reboot)' "; rm -rf /" \`id\``;
    const args = { path: remote, regexp: '^K3S_TOKEN=', line, create: true, mode: '0600' };
    const check = await runModule(lineinfile, args, { connection: h.connection }, { check: true });
    expect(check.changes).toEqual(['create directory /etc/rancher/k3s', `create ${remote} (line added)`]);
    const r = await runModule(lineinfile, args, { connection: h.connection });
    expect(r.status).toBe('changed');
    expect(readFileSync(h.local(remote), 'utf8')).toBe(`${line}\n`);
    expect(statSync(h.local(remote)).mode & 0o777).toBe(0o600);
    expect((await runModule(lineinfile, args, { connection: h.connection })).status).toBe('ok');
    const more = await runModule(
      lineinfile,
      { path: remote, line: 'K3S_URL=https://10.0.0.1:6443', insertbefore: 'BOF' },
      { connection: h.connection },
    );
    expect(more.status).toBe('changed');
    expect(readFileSync(h.local(remote), 'utf8')).toBe(`K3S_URL=https://10.0.0.1:6443\n${line}\n`);
  });
});
