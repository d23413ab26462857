// pacman (Debian's pacman-package-manager) on a real sshd node with its own pacman database,
// cache and /etc/pacman.conf (test/helpers/pacman-node.ts), installing tiny packages built
// without makepkg and served on loopback; this machine's pacman state is compared before and after.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packageModule } from '../../modules/host/package.js';
import { pacmanModule } from '../../modules/host/pacman.js';
import { runModule } from '../helpers/module-harness.js';
import { pacmanNode } from '../helpers/pacman-node.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { validationErrors } from '../helpers/validation-errors.js';

planFixtures(pacmanModule, path.join(import.meta.dirname, 'pacman'));

// This machine's pacman state: its config and everything under its database and cache.
function machineState(): string {
  const h = createHash('sha256');
  for (const f of ['/etc/pacman.conf']) h.update(existsSync(f) ? readFileSync(f) : 'none');
  for (const d of ['/var/lib/pacman', '/var/cache/pacman'])
    h.update(existsSync(d) ? readdirSync(d, { recursive: true }).map(String).sort().join('\n') : 'none');
  return h.digest('hex');
}

describe('pacman over real sshd, on the node’s own pacman database', () => {
  const before = machineState();
  const h = pacmanNode('pacman-node');
  const run = (args: Record<string, unknown>, mode: { check?: boolean; diff?: boolean } = {}) =>
    runModule(pacmanModule, args, { connection: h.connection }, mode);
  const local = () => readdirSync(h.local('/var/lib/pacman/local')).sort();
  const query = async () => (await h.connection.exec(['pacman', '--query'])).stdout;

  afterAll(() => expect(machineState()).toBe(before));

  it('update_cache: check mode says changed and fetches nothing; the run fetches; again is unchanged', async () => {
    const check = await run({ update_cache: true }, { check: true });
    expect(check).toMatchObject({ status: 'changed', data: { cache_updated: true } });
    expect(existsSync(h.local('/var/lib/pacman/sync/herdbook.db'))).toBe(false);
    const r = await run({ update_cache: true });
    expect(r).toMatchObject({ status: 'changed', msg: 'Updated package db', data: { cache_updated: true } });
    expect(existsSync(h.local('/var/lib/pacman/sync/herdbook.db'))).toBe(true);
    expect(await run({ update_cache: true })).toMatchObject({ status: 'ok', data: { cache_updated: false } });
  });

  it('check mode asks pacman’s dry run and writes nothing; the run installs; the second run is ok', async () => {
    const dbBefore = local();
    const check = await run({ name: 'nfs-utils' }, { check: true, diff: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual(['install libnfsidmap 2.6.2-1 (pacman: a dependency)', 'install nfs-utils 2.6.2-1']);
    expect(check.data).toMatchObject({ packages: ['libnfsidmap', 'nfs-utils'] });
    expect(check.diff).toEqual([{ path: 'pacman', before: '', after: 'libnfsidmap-2.6.2-1\nnfs-utils-2.6.2-1\n' }]);
    expect(local()).toEqual(dbBefore);
    // repo/name is resolved to the package itself, not to the first dependency pacman would print.
    expect((await run({ name: 'herdbook/nfs-utils' }, { check: true })).changes).toEqual(check.changes);
    const r = await run({ name: ['nfs-utils'] });
    expect(r).toMatchObject({
      status: 'changed',
      msg: 'Installed 2 package(s)',
      data: { packages: ['libnfsidmap', 'nfs-utils'] },
    });
    expect(await query()).toBe('libnfsidmap 2.6.2-1\nnfs-utils 2.6.2-1\n');
    const again = await run({ name: 'nfs-utils' });
    expect(again).toMatchObject({ status: 'ok', msg: 'package(s) already installed', data: { packages: [] } });
  });

  it('latest upgrades once the databases are updated; a group installs its members', async () => {
    await h.repo.publish([
      { name: 'nfs-utils', version: '2.6.3-1', depends: ['libnfsidmap'], groups: ['k3s-storage'] },
    ]);
    expect((await run({ name: 'nfs-utils', state: 'latest' })).status).toBe('ok');
    const check = await run({ name: 'nfs-utils', state: 'latest', update_cache: true }, { check: true });
    // Check mode does not update the databases (nor does Ansible's): it knows the old version only.
    expect(check.changes).toEqual(['update the package databases (pacman --sync --refresh)']);
    const r = await run({ name: 'nfs-utils', state: 'latest', update_cache: true }, { diff: true });
    expect(r).toMatchObject({
      status: 'changed',
      msg: 'Updated package db\nInstalled 1 package(s)',
      data: { packages: ['nfs-utils'], cache_updated: true },
    });
    expect(r.diff).toEqual([
      { path: 'pacman', before: 'nfs-utils-2.6.2-1-explicit\n', after: 'nfs-utils-2.6.3-1-explicit\n' },
    ]);
    expect(await query()).toContain('nfs-utils 2.6.3-1\n');
    const group = await run({ name: 'k3s-storage' });
    expect(group.changes).toEqual(['install open-iscsi 2.1.8-1']);
    expect((await h.connection.exec(['cat', '/etc/herdbook-pacman/iscsid.conf'])).stdout).toBe(
      'node.startup = manual\n',
    );
    expect((await run({ name: 'k3s-storage,nfs-utils' })).status).toBe('ok');
  });

  it('absent removes (extra_args as words: --recursive takes the dependency too), and is ok when gone', async () => {
    const check = await run({ name: 'open-iscsi', state: 'absent' }, { check: true });
    expect(check.changes).toEqual(['remove open-iscsi-2.1.8-1']);
    expect(await query()).toContain('open-iscsi');
    expect(await run({ name: 'open-iscsi', state: 'removed' })).toMatchObject({
      status: 'changed',
      msg: 'Removed 1 package(s)',
      data: { packages: ['open-iscsi-2.1.8-1'] },
    });
    const rec = await run({ name: 'nfs-utils', state: 'absent', extra_args: '--recursive' });
    expect(rec.data).toMatchObject({ packages: ['nfs-utils-2.6.3-1', 'libnfsidmap-2.6.2-1'] });
    expect(await query()).toBe('');
    expect(await run({ name: ['open-iscsi', 'no-such-package'], state: 'absent' })).toMatchObject({
      status: 'ok',
      msg: 'package(s) already absent',
    });
  });

  it('upgrade: the whole system, when --query --upgrades lists anything', async () => {
    await run({ name: 'nfs-utils' });
    await h.repo.publish([{ name: 'libnfsidmap', version: '2.6.3-1' }]);
    const check = await run({ update_cache: true, upgrade: true }, { check: true });
    expect(check.status).toBe('changed');
    const r = await run({ update_cache: true, upgrade: true });
    expect(r).toMatchObject({
      status: 'changed',
      msg: 'Updated package db\nSystem upgraded',
      data: { packages: ['libnfsidmap'], cache_updated: true },
    });
    expect(await query()).toContain('libnfsidmap 2.6.3-1\n');
    expect(await run({ upgrade: true })).toMatchObject({ status: 'ok', msg: 'Nothing to upgrade' });
  });

  it('a package file goes through pacman --upgrade; force removes without dependency checks', async () => {
    // The fleet shares /tmp with this machine: the repository's own file is a path on the node.
    const file = path.join(h.repo.dir, 'libnfsidmap-2.6.3-1-any.pkg.tar.gz');
    await run({ name: 'nfs-utils', state: 'absent', extra_args: ['--recursive'] });
    const check = await run({ name: file }, { check: true });
    expect(check.changes).toEqual(['install libnfsidmap 2.6.3-1']);
    expect(await run({ name: file })).toMatchObject({ status: 'changed', data: { packages: ['libnfsidmap'] } });
    // Asked again, pacman's --needed dry run has nothing to do: ok, as the reference.
    expect(await run({ name: file })).toMatchObject({ status: 'ok', msg: 'package(s) already installed' });
    await run({ name: 'nfs-utils' });
    // nfs-utils needs libnfsidmap: without force pacman refuses, with it (--nodeps --nodeps) it removes.
    const refused = await run({ name: 'libnfsidmap', state: 'absent' });
    expect(refused.status).toBe('failed');
    expect(refused.msg).toMatch(/^failed to list package\(s\) to remove: .*breaks dependency 'libnfsidmap'/s);
    expect(await run({ name: 'libnfsidmap', state: 'absent', force: true })).toMatchObject({
      status: 'changed',
      data: { packages: ['libnfsidmap-2.6.3-1'] },
    });
    expect(await query()).toBe('nfs-utils 2.6.3-1\n');
    await run({ name: 'nfs-utils', state: 'absent' });
  });

  it('package picks pacman from the facts', async () => {
    const vars = { ansible_facts: { pkg_mgr: 'pacman' } };
    const pkg = (check: boolean) =>
      runModule(packageModule, { name: 'open-iscsi' }, { connection: h.connection, vars }, { check });
    expect((await pkg(true)).changes).toEqual(['install open-iscsi 2.1.8-1']);
    expect((await pkg(false)).status).toBe('changed');
    expect((await pkg(false)).status).toBe('ok');
  });

  it('refuses what it cannot do, with what to do', async () => {
    // pacman's answer to the last attempt is registered with the failure, as the reference does.
    const missing = {
      status: 'failed',
      msg: 'Failed to list package no-such-package',
      data: { rc: 1, stderr: "error: 'no-such-package': could not find or read package\n" },
    };
    expect(await run({ name: 'no-such-package' })).toMatchObject(missing);
    expect(await run({ name: 'no-such-package' }, { check: true })).toMatchObject(missing);
    expect((await run({ name: '--sysupgrade' })).msg).toMatch(/^invalid package name '--sysupgrade'/);
    expect((await run({ name: 'open-iscsi', state: 'absent', extra_args: '--dbonly "x' })).msg).toMatch(
      /^extra_args: unterminated quote .*: close the quote, or give a list of words$/,
    );
    expect((await run({ name: 'open-iscsi', executable: 'no-pacman-here' })).msg).toBe(
      'Failed to find required executable "no-pacman-here" in paths',
    );
    const bad = await run({ name: 'open-iscsi', state: 'absent', extra_args: ['--no-such-option'] });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toMatch(/^failed to list package\(s\) to remove: .*no-such-option/);
  });
});

describe('pacman arguments are checked before anything runs', () => {
  it('names the line and what is wrong', () => {
    const out = validationErrors([
      '    - community.general.pacman: { name: foo, upgrade: true }',
      '    - pacman: { state: present }',
      '    - pacman: { name: foo, state: newest }',
      '    - community.general.pacman: { name: foo, extra_args: 3 }',
    ]);
    expect(out).toEqual([
      "3:33 module 'pacman' takes 'name' or 'upgrade', not both (Ansible: mutually exclusive)",
      "4:15 module 'pacman' needs one of: 'name', 'update_cache', 'upgrade'",
      expect.stringMatching(
        /^5:\d+ argument 'state' of module 'pacman' must be one of: present, absent, latest, installed, removed; got the string "newest"/,
      ),
      expect.stringMatching(
        /^6:\d+ argument 'extra_args' of module 'pacman' must be pacman options as one string .* got the number 3/,
      ),
    ]);
  });
});
