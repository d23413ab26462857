// replace: plan fixtures, and on a real sshd node check mode (nothing written), the run, the
// second run (nothing to replace), backup and a failing validate.
import { readFileSync, statSync, writeFileSync, mkdirSync, chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { replace } from '../../modules/host/replace.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost } from './host-helpers.js';

planFixtures(replace, path.join(import.meta.dirname, 'replace'));

describe('replace over real sshd', () => {
  const h = fleetHost('replace-node');
  const file = '/etc/rancher/k3s/config.yaml';
  const text = 'node-ip: 10.0.0.1\ntls-san:\n  - 10.0.0.1\n';

  it('check mode shows the diff and writes nothing; the run replaces; the second run is ok', async () => {
    mkdirSync(path.dirname(h.local(file)), { recursive: true });
    writeFileSync(h.local(file), text);
    chmodSync(h.local(file), 0o600);
    const args = { path: file, regexp: '10\\.0\\.0\\.1$', replace: '10.0.0.9', backup: true };
    const check = await runModule(replace, args, { connection: h.connection }, { check: true });
    expect(check.status).toBe('changed');
    expect(check.diff).toEqual([{ path: file, before: text, after: text.replaceAll('10.0.0.1', '10.0.0.9') }]);
    expect(readFileSync(h.local(file), 'utf8')).toBe(text);
    const r = await runModule(replace, args, { connection: h.connection });
    expect(r.status).toBe('changed');
    expect(r.data.msg).toBe('2 replacements made');
    expect(readFileSync(h.local(file), 'utf8')).toBe(text.replaceAll('10.0.0.1', '10.0.0.9'));
    expect(statSync(h.local(file)).mode & 0o777).toBe(0o600);
    expect(readFileSync(h.local(String(r.data.backup_file)), 'utf8')).toBe(text);
    expect((await runModule(replace, args, { connection: h.connection })).status).toBe('ok');
  });

  it('a failing validate leaves the file; a missing file fails with Ansible’s words', async () => {
    writeFileSync(h.local(file), text);
    const bad = await runModule(
      replace,
      { path: file, regexp: 'node-ip', replace: 'node-external-ip', validate: 'grep -q "^node-ip" %s' },
      { connection: h.connection },
    );
    expect(bad.status).toBe('failed');
    expect(readFileSync(h.local(file), 'utf8')).toBe(text);
    const missing = await runModule(
      replace,
      { path: '/etc/rancher/none.yaml', regexp: 'x' },
      { connection: h.connection },
    );
    expect(missing).toMatchObject({ status: 'failed', msg: 'Path /etc/rancher/none.yaml does not exist !' });
  });
});
