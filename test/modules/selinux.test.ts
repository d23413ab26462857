// selinux on this machine, where SELinux does not run and /etc/selinux/config does not exist
// (Debian without selinux-basics): the reference fails there, and so must herdbook; with a
// config file of the test's own, the file is rewritten as the reference rewrites it.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { selinux } from '../../modules/host/selinux.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { validationErrors } from '../helpers/validation-errors.js';
import { localTemp } from './host-helpers.js';

planFixtures(selinux, path.join(import.meta.dirname, 'selinux'));

describe('selinux on a host where SELinux does not run', () => {
  const t = localTemp('selinux');
  const run = (args: unknown, check = false) => runModule(selinux, args, { connection: t.connection }, { check });

  it.skipIf(existsSync('/etc/selinux/config'))('without /etc/selinux/config: fails as the reference does', async () => {
    const r = await run({ state: 'disabled' });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('Unable to find file /etc/selinux/config');
  });

  it('check mode writes nothing; the run rewrites the config; the second run is ok', async () => {
    const file = t.at('config');
    const text = '# SELinux\r\nSELINUX=enforcing\nSELINUXTYPE=targeted\n\n# end';
    writeFileSync(file, text, { mode: 0o640 });
    const args = { state: 'disabled', configfile: file };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual(["Config SELinux state changed from 'enforcing' to 'disabled'"]);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({
      msg: "Config SELinux state changed from 'enforcing' to 'disabled'",
      configfile: file,
      policy: 'targeted',
      state: 'disabled',
      reboot_required: false,
    });
    // Each line newline-terminated, as the reference's get_file_lines + write leave it; the mode kept.
    expect(readFileSync(file, 'utf8')).toBe('# SELinux\nSELINUX=disabled\nSELINUXTYPE=targeted\n\n# end\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect((await run(args)).status).toBe('ok');
    const perm = await run({ state: 'permissive', policy: 'targeted', configfile: file });
    expect(perm.status).toBe('changed');
    expect(perm.data).toMatchObject({ reboot_required: true });
    expect(readFileSync(file, 'utf8')).toContain('SELINUX=permissive\n');
  });

  it('a policy that is not installed fails and writes nothing', async () => {
    const file = t.at('config2');
    writeFileSync(file, 'SELINUX=disabled\nSELINUXTYPE=targeted\n');
    const r = await run({ state: 'permissive', policy: 'no-such-policy', configfile: file });
    expect(r.status).toBe('failed');
    expect(r.msg).toBe('Policy no-such-policy does not exist in /etc/selinux/');
    expect(readFileSync(file, 'utf8')).toBe('SELINUX=disabled\nSELINUXTYPE=targeted\n');
  });
});

describe('bad selinux arguments are refused at validation, with file:line:col, before anything runs', () => {
  const tasks = [
    '    - ansible.posix.selinux: { policy: targeted }',
    '    - selinux: { state: off }',
    '    - selinux: { state: disabled, config: /etc/selinux/config }',
  ];
  it('names the task, the argument and what to write', () => {
    const out = validationErrors(tasks);
    expect(out).toEqual([
      expect.stringMatching(/^3:\d+ module 'selinux' needs 'state'/),
      expect.stringMatching(
        /^4:\d+ argument 'state' of module 'selinux' must be one of: enforcing, permissive, disabled/,
      ),
      expect.stringMatching(/^5:\d+ unknown argument 'config' for module 'selinux'/),
    ]);
  });
});
