// apt on a real sshd node with its own dpkg database and /etc/apt (sandbox/fleet/apt-db.ts),
// installing tiny packages built with dpkg-deb and served on loopback; this machine's own dpkg
// status is compared before and after.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { apt } from '../../modules/host/apt.js';
import { aptNode } from '../helpers/apt-node.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(apt, path.join(import.meta.dirname, 'apt'));

const machineStatus = () => createHash('sha256').update(readFileSync('/var/lib/dpkg/status')).digest('hex');

describe('apt over real sshd, on the node’s own package database', () => {
  const before = machineStatus();
  const h = aptNode('apt-node');
  const status = () => readFileSync(h.local('/var/lib/dpkg/status'), 'utf8');
  const installed = (name: string) =>
    execFileSync(
      'dpkg-query',
      ['--admindir', h.local('/var/lib/dpkg'), '-W', '-f', '${db:Status-Abbrev}${Version}', name],
      {
        encoding: 'utf8',
      },
    ).replace(/^ii /, '');
  const run = (args: Record<string, unknown>, mode: { check?: boolean; diff?: boolean } = {}) =>
    runModule(apt, args, { connection: h.connection }, mode);

  afterAll(() => expect(machineStatus()).toBe(before));

  it('check mode asks apt-get -s and writes nothing; the run installs; the second run is ok', async () => {
    const args = { name: ['nfs-common'], update_cache: true };
    // The lists are empty until the first update: check mode says it would install once they are.
    const unknown = await run(args, { check: true });
    expect(unknown.status).toBe('changed');
    expect(unknown.changes).toEqual([
      'update the package lists (apt-get update)',
      'install nfs-common (once the package lists are updated)',
    ]);
    expect(await run({ update_cache: true })).toMatchObject({ status: 'changed', data: { cache_updated: true } });
    const dpkgBefore = status();
    const check = await run({ name: 'nfs-common' }, { check: true, diff: true });
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'install nfs-common 1:2.6.2-4',
      'install libnfsidmap1 1:2.6.2-4 (apt: a dependency)',
    ]);
    expect(check.diff?.[0].prepared).toMatch(
      /The following NEW packages will be installed:\n\s+libnfsidmap1 nfs-common\n0 upgraded, 2 newly installed/,
    );
    expect(status()).toBe(dpkgBefore);
    const r = await run({ name: 'nfs-common' });
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({ cache_updated: false });
    expect(installed('nfs-common')).toBe('1:2.6.2-4');
    expect(installed('libnfsidmap1')).toBe('1:2.6.2-4');
    const again = await run({ name: 'nfs-common', update_cache: true });
    // As Ansible: with a package named, updating the lists alone is not a change.
    expect(again.status).toBe('ok');
    expect(again.data).toMatchObject({ cache_updated: true });
    const fresh = await run({ name: 'nfs-common', cache_valid_time: 3600 }, { check: true });
    expect(fresh).toMatchObject({ status: 'ok', data: { cache_updated: false } });
  });

  it('latest upgrades to the newer version once the lists are updated; a list installs what is missing', async () => {
    await h.repo.publish([{ name: 'nfs-common', version: '1:2.6.3-1', depends: ['libnfsidmap1'] }]);
    expect((await run({ name: 'nfs-common', state: 'latest' })).status).toBe('ok');
    const check = await run({ name: 'nfs-common', state: 'latest', update_cache: true }, { check: true });
    // Check mode does not update the lists (nor does Ansible's): what it knows is the old candidate.
    expect(check.status).toBe('ok');
    const r = await run({ name: 'nfs-common', state: 'latest', update_cache: true });
    expect(r.status).toBe('changed');
    expect(installed('nfs-common')).toBe('1:2.6.3-1');
    const both = await run({ name: 'nfs-common,open-iscsi' });
    expect(both.changes).toEqual(['install open-iscsi 2.1.8-1']);
    expect(readFileSync(h.local('/etc/systemd/system/iscsid.service'), 'utf8')).toContain('iSCSI');
    expect((await run({ name: ['nfs-common', 'open-iscsi'] })).status).toBe('ok');
  });

  it('absent removes (purge too), and is ok when already gone', async () => {
    const check = await run({ name: 'open-iscsi', state: 'absent', purge: true }, { check: true });
    expect(check.changes).toEqual(['remove open-iscsi 2.1.8-1']);
    expect(installed('open-iscsi')).toBe('2.1.8-1');
    expect((await run({ name: 'open-iscsi', state: 'absent', purge: true })).status).toBe('changed');
    expect(status()).not.toMatch(/^Package: open-iscsi$/m);
    expect((await run({ name: 'open-iscsi', state: 'absent' })).status).toBe('ok');
  });

  it('waits for a lock another apt holds, up to lock_timeout, then says so', async () => {
    const lock = h.local('/var/lib/dpkg/lock-frontend');
    const hold = (seconds: number) => {
      const p = spawn('python3', [
        '-c',
        `import fcntl,time,sys\nf=open(sys.argv[1],'w')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('held',flush=True)\ntime.sleep(${seconds})`,
        lock,
      ]);
      return new Promise<ReturnType<typeof spawn>>((resolve) => p.stdout.once('data', () => resolve(p)));
    };
    const holder = await hold(30);
    const failed = await run({ name: 'open-iscsi', lock_timeout: 1 });
    holder.kill();
    expect(failed.status).toBe('failed');
    expect(failed.msg).toMatch(/^Failed to lock apt for exclusive operation: .*lock/);
    await hold(2);
    const waited = await run({ name: 'open-iscsi', lock_timeout: 30 });
    expect(waited.status).toBe('changed');
  });

  it('refuses what it cannot do, with what to do', async () => {
    const none = await run({ name: 'no-such-package' });
    expect(none).toMatchObject({ status: 'failed', msg: "No package matching 'no-such-package' is available" });
    const option = await run({ name: '-oAPT::Get::Fix-Broken=true' });
    expect(option.msg).toMatch(/^invalid package name '-oAPT/);
    mkdirSync(h.local('/var/lib/dpkg/updates'), { recursive: true });
    writeFileSync(h.local('/var/lib/dpkg/updates/0001'), '');
    const interrupted = await run({ name: 'nfs-common', state: 'absent' });
    rmSync(h.local('/var/lib/dpkg/updates/0001'));
    expect(interrupted.status).toBe('failed');
    expect(interrupted.msg).toMatch(/^dpkg was interrupted .*run `dpkg --configure -a`/);
  });
});
