// timezone on a real sshd node without systemd (timedatectl answers "not booted with systemd"),
// so the Debian file path runs for real: /etc/timezone and the /etc/localtime link in the node's
// /etc overlay, then the real dpkg-reconfigure tzdata against the node's copy of the dpkg
// database and its own debconf cache. This machine's /etc/timezone and /etc/localtime never change.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { timezone } from '../../modules/host/timezone.js';
import { editLines } from '../../modules/host/timezone-plan.js';
import { runModule } from '../helpers/module-harness.js';
import { moduleArgs, planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost } from './host-helpers.js';

planFixtures(timezone, path.join(import.meta.dirname, 'timezone'));

describe('the reference’s file edit', () => {
  it('replaces the first match, drops the others, or puts the line first', () => {
    expect(editLines('# c\nZONE="A"\nX=1\nZONE="B"\n', /^ZONE\s*=/m, 'ZONE="C"\n')).toEqual({
      text: '# c\nZONE="C"\nX=1\n',
      deleted: 2,
    });
    expect(editLines(undefined, /^UTC=/m, 'UTC=yes\n')).toEqual({ text: 'UTC=yes\n', deleted: 0 });
  });
});

describe('timezone over real sshd, Debian without systemd', () => {
  const h = fleetHost('timezone-node');
  const machine = { zone: readFileSync('/etc/timezone', 'utf8'), link: readlinkSync('/etc/localtime') };
  // dpkg-reconfigure needs tzdata in the node's dpkg database: its status stanza and its
  // maintainer scripts are enough (a full copy of this machine's database takes seconds).
  beforeAll(() => {
    const info = h.local('/var/lib/dpkg/info');
    mkdirSync(info, { recursive: true });
    mkdirSync(h.local('/var/lib/dpkg/updates'), { recursive: true });
    for (const f of readdirSync('/var/lib/dpkg/info').filter((x) => /^tzdata\./.test(x)))
      copyFileSync(`/var/lib/dpkg/info/${f}`, `${info}/${f}`);
    const stanza = readFileSync('/var/lib/dpkg/status', 'utf8')
      .split('\n\n')
      .find((p) => p.startsWith('Package: tzdata\n'));
    writeFileSync(h.local('/var/lib/dpkg/status'), `${stanza}\n\n`);
  });
  const run = (args: Record<string, unknown>, check = false) =>
    runModule(timezone, args, { connection: h.connection }, { check });
  const cat = async (p: string) => (await h.connection.exec(['cat', p])).stdout;
  const link = async () => (await h.connection.exec(['readlink', '/etc/localtime'])).stdout.trim();

  it('check mode changes nothing; the run writes /etc/timezone, the link and reconfigures tzdata; again ok', async () => {
    const check = await run({ name: 'Europe/Berlin' }, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`set the time zone ${machine.zone.trim()} → Europe/Berlin`]);
    expect(check.diff?.[0]).toMatchObject({ before: `{\n    "name": "${machine.zone.trim()}"\n}\n` });
    expect(await cat('/etc/timezone')).toBe(machine.zone);
    const r = await run({ name: 'Europe/Berlin' });
    expect(r).toMatchObject({ status: 'changed', msg: 'Added 1 line and deleted 1 line(s) on /etc/timezone' });
    expect(await cat('/etc/timezone')).toBe('Europe/Berlin\n');
    expect(await link()).toBe('/usr/share/zoneinfo/Europe/Berlin');
    expect((await h.connection.exec(['date', '+%Z'])).stdout.trim()).toMatch(/^CES?T$/);
    expect((await run({ name: 'Europe/Berlin' })).status).toBe('ok');
    expect((await run({ name: machine.zone.trim() })).status).toBe('changed');
    expect(await link()).toBe(machine.link);
    expect(readFileSync('/etc/timezone', 'utf8')).toBe(machine.zone);
    expect(readlinkSync('/etc/localtime')).toBe(machine.link);
  });

  it('a link that disagrees with /etc/timezone is a change', async () => {
    await h.connection.exec(['ln', '-sf', '/usr/share/zoneinfo/Asia/Tokyo', '/etc/localtime']);
    const r = await run({ name: machine.zone.trim() }, true);
    expect(r.changes).toEqual([`set the time zone Asia/Tokyo → ${machine.zone.trim()}`]);
    expect((await run({ name: machine.zone.trim() })).status).toBe('changed');
    expect(await link()).toBe(machine.link);
  });

  it('bad input: an unknown zone fails before anything changes; neither argument is refused', async () => {
    const r = await run({ name: 'Mars/Olympus_Mons' });
    expect(r).toMatchObject({
      status: 'failed',
      msg: 'Error message:\ngiven timezone "Mars/Olympus_Mons" is not available',
    });
    expect(await link()).toBe(machine.link);
    expect(() => moduleArgs(timezone, {})).toThrow();
    expect(() => moduleArgs(timezone, { hwclock: 'utc' })).toThrow(/hwclock/);
  });
});
