// mount on a real sshd node: the node's /etc/fstab is its own (its /etc is an overlay) and the
// node runs in its own mount namespace, so real tmpfs mounts with util-linux's mount and umount
// happen there and nowhere else (this machine's mount table and /etc/fstab never change).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mount } from '../../modules/host/mount.js';
import { escapeFstab, parseMountinfo, setMount } from '../../modules/host/mount-fstab.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost, localTemp } from './host-helpers.js';

planFixtures(mount, path.join(import.meta.dirname, 'mount'));

describe('fstab and mountinfo, read and written as the reference does', () => {
  it('escapes, rewrites a 4-field line in full, keeps comments and others', () => {
    expect(escapeFstab('/mnt/my data&\\')).toBe('/mnt/my\\040data\\046\\134');
    const text = '# static\nUUID=1 / ext4 defaults 0 1\ntmpfs /mnt/t tmpfs defaults\n';
    const e = { name: '/mnt/t', src: 'tmpfs', fstype: 'tmpfs', opts: 'defaults', dump: '0', passno: '0' };
    expect(setMount(text, e)).toEqual({
      text: '# static\nUUID=1 / ext4 defaults 0 1\ntmpfs /mnt/t tmpfs defaults 0 0\n',
      changed: true,
    });
  });
  it('a bind mount’s src is the directory it shows', () => {
    const info = [
      '335 300 254:0 / / rw - ext4 /dev/vda rw',
      '355 335 0:67 / /tmp/t rw,relatime - tmpfs tmpfs rw,size=1024k',
      '356 335 254:0 /srv/data /mnt/data rw - ext4 /dev/vda rw',
    ].join('\n');
    expect(parseMountinfo(info)['/mnt/data']).toEqual({ dst: '/mnt/data', src: '/srv/data', opts: 'rw', fs: 'ext4' });
  });
});

describe('mount over real sshd, real mounts in the node’s namespace', () => {
  const h = fleetHost('mount-node');
  const t = localTemp('mount');
  const fstab = async () => (await h.connection.exec(['cat', '/etc/fstab'])).stdout;
  const mountinfo = async (p: string) =>
    (await h.connection.exec(['cat', '/proc/self/mountinfo'])).stdout.split('\n').find((l) => l.split(' ')[4] === p);
  const run = (args: Record<string, unknown>, check = false) =>
    runModule(mount, args, { connection: h.connection }, { check });
  const machineFstab = readFileSync('/etc/fstab', 'utf8');

  it('mounted: check mode changes nothing; the run writes fstab and mounts; again ok; new opts remount', async () => {
    const p = t.at('data');
    const args = { path: p, src: 'tmpfs', fstype: 'tmpfs', opts: 'size=1m', state: 'mounted' };
    const before = await fstab();
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      `create the directory ${p}`,
      `tmpfs on ${p} (tmpfs, size=1m) in /etc/fstab`,
      `mount tmpfs on ${p}`,
    ]);
    expect(check.diff?.[0].after).toBe(`${before}tmpfs ${p} tmpfs size=1m 0 0\n`);
    expect(await fstab()).toBe(before);
    expect(await mountinfo(p)).toBeUndefined();
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({
      name: p,
      src: 'tmpfs',
      fstype: 'tmpfs',
      opts: 'size=1m',
      dump: '0',
      passno: '0',
      boot: 'yes',
      fstab: '/etc/fstab',
      backup_file: '',
    });
    expect(await fstab()).toBe(`${before}tmpfs ${p} tmpfs size=1m 0 0\n`);
    expect(await mountinfo(p)).toMatch(/ tmpfs tmpfs rw,size=1024k/);
    expect((await run(args)).status).toBe('ok');
    const bigger = await run({ ...args, opts: 'size=2m', backup: true });
    expect(bigger.changes).toEqual([
      `tmpfs on ${p} (tmpfs, size=2m) in /etc/fstab`,
      `remount ${p} with the new fstab line`,
    ]);
    expect(String(bigger.data.backup_file)).toMatch(/^\/etc\/fstab\.\d+\.\d{4}-\d\d-\d\d@\d\d:\d\d:\d\d~$/);
    expect(await mountinfo(p)).toMatch(/size=2048k/);
    // Not on this machine: its table and fstab are untouched.
    expect(readFileSync('/proc/self/mountinfo', 'utf8')).not.toContain(` ${p} `);
    expect(readFileSync('/etc/fstab', 'utf8')).toBe(machineFstab);
  });

  it('unmounted, then absent: the line and the directory go; each again is ok', async () => {
    const p = t.at('data');
    const un = await run({ path: p, state: 'unmounted' });
    expect(un.changes).toEqual([`unmount ${p}`]);
    expect(await mountinfo(p)).toBeUndefined();
    expect((await run({ path: p, state: 'unmounted' })).status).toBe('ok');
    const gone = await run({ name: p, state: 'absent' });
    expect(gone.changes).toEqual([`remove ${p} from /etc/fstab`, `remove the directory ${p}`]);
    expect(await fstab()).not.toContain(p);
    expect((await h.connection.exec(['test', '-e', p])).rc).toBe(1);
    expect((await run({ name: p, state: 'absent' })).status).toBe('ok');
  });

  it('present with boot: false in another fstab: noauto, spaces escaped, nothing mounted', async () => {
    const p = t.at('my share');
    const tab = t.at('fstab');
    const args = {
      path: p,
      src: 'nas:/export/k3s',
      fstype: 'nfs',
      opts: 'rw',
      state: 'present',
      boot: false,
      fstab: tab,
    };
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(readFileSync(tab, 'utf8')).toBe(`nas:/export/k3s ${p.replace(' ', '\\040')} nfs rw,noauto 0 0\n`);
    expect((await run(args)).status).toBe('ok');
    expect(await mountinfo(p)).toBeUndefined();
  });

  it('bad input: mounted without fstype; a failing mount puts fstab back and removes the directory it made', async () => {
    expect(await run({ path: t.at('x'), src: 'tmpfs', state: 'mounted' })).toMatchObject({
      status: 'failed',
      msg: 'state is mounted but all of the following are missing: fstype',
    });
    const before = await fstab();
    const bad = await run({ path: t.at('bad'), src: 'tmpfs', fstype: 'nosuchfs', state: 'mounted' });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toMatch(new RegExp(`^Error mounting ${t.at('bad')}: `));
    expect(await fstab()).toBe(before);
    expect((await h.connection.exec(['test', '-e', t.at('bad')])).rc).toBe(1);
    expect(() => moduleArgs(mount, { path: '/mnt/x', state: 'ephemeral' })).toThrow(/state/);
    expect(() => moduleArgs(mount, { path: '/mnt/x' })).toThrow(/state/);
  });
});
