import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readFakeSystemdLog, readFakeUnitState } from '../../sandbox/fleet/index.js';
import { service, systemd } from '../../modules/host/systemd.js';
import { parseShow, unitName } from '../../modules/host/systemd-plan.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { fleetHost } from './host-helpers.js';

planFixtures(systemd, path.join(import.meta.dirname, 'systemd'));

describe('systemctl show parsing', () => {
  it('reads key=value lines, values with = kept whole', () => {
    expect(parseShow('LoadState=loaded\nExecStart={ path=/x ; argv[]=/x a=b }\nUnitFileState=\n')).toEqual({
      LoadState: 'loaded',
      ExecStart: '{ path=/x ; argv[]=/x a=b }',
      UnitFileState: '',
    });
    expect([unitName('k3s'), unitName('k3s.service'), unitName('fstrim.timer'), unitName('getty@tty1')]).toEqual([
      'k3s.service',
      'k3s.service',
      'fstrim.timer',
      'getty@tty1.service',
    ]);
  });
});

describe('systemd over real sshd (the fleet fake systemctl)', () => {
  const h = fleetHost('systemd-node');
  const node = 'systemd-node';
  const run = (args: object, check = false) => runModule(systemd, args, { connection: h.connection }, { check });
  const actions = async () => (await readFakeSystemdLog(h.t.fleet.stateDir, node)).map((e) => `${e.action} ${e.unit}`);
  const state = (unit: string) => readFakeUnitState(h.t.fleet.stateDir, node, unit);
  const unit = (name: string, exec: string) =>
    writeFileSync(
      h.local(`/etc/systemd/system/${name}.service`),
      `[Unit]\nDescription=${name}\n\n[Service]\nExecStart=${exec}\n\n[Install]\nWantedBy=multi-user.target\n`,
    );

  it('check mode plans enable + start and touches nothing; then does it once; then nothing', async () => {
    unit('web', '/bin/sh -c "echo started"');
    const args = { name: 'web', state: 'started', enabled: true };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual(['enable web.service', 'start web.service (now inactive (dead), disabled)']);
    expect(await state('web')).toEqual({ activeState: 'inactive', subState: 'dead' });
    expect(await actions()).toEqual([]);
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({ name: 'web.service', state: 'active', enabled: 'enabled' });
    expect(await state('web')).toEqual({ activeState: 'active', subState: 'running' });
    expect(await actions()).toEqual(['enable web.service', 'start web.service']);
    const again = await run(args);
    expect(again.status).toBe('ok');
    expect(again.msg).toBe('web.service is active (running), enabled');
    expect(await actions()).toHaveLength(2);
  });

  it('restarted is always a change; daemon_reload runs only when the unit changed on disk', async () => {
    expect((await run({ name: 'web', state: 'restarted' })).status).toBe('changed');
    expect((await actions()).slice(-1)).toEqual(['restart web.service']);
    const before = (await actions()).length;
    expect((await run({ name: 'web', state: 'started', daemon_reload: true })).status).toBe('ok');
    expect(await actions()).toHaveLength(before);
    unit('web', '/bin/sh -c "echo started v2"');
    const stale = await run({ name: 'web', state: 'started', daemon_reload: true }, true);
    expect(stale.changes).toEqual(['daemon-reload (web.service changed on disk)']);
    expect((await run({ name: 'web', state: 'started', daemon_reload: true })).status).toBe('changed');
    expect((await actions()).slice(-1)).toEqual(['daemon-reload -']);
    expect((await run({ name: 'web', state: 'started', daemon_reload: true })).status).toBe('ok');
  });

  it('stops and disables through the service alias, idempotently', async () => {
    const r = await runModule(
      service,
      { name: 'web.service', state: 'stopped', enabled: false },
      { connection: h.connection },
    );
    expect(r.status).toBe('changed');
    expect(r.changes).toEqual(['disable web.service', 'stop web.service (now active (running), enabled)']);
    expect(await state('web')).toEqual({ activeState: 'inactive', subState: 'dead' });
    expect(
      (await runModule(service, { name: 'web', state: 'stopped', enabled: false }, { connection: h.connection }))
        .status,
    ).toBe('ok');
  });

  it('masks and unmasks; a unit file in /etc cannot be masked, as in systemd', async () => {
    const refused = await run({ name: 'web', masked: true });
    expect(refused.status).toBe('failed');
    expect(refused.msg).toMatch(/mask web\.service failed: .*already exists/);
    expect((await run({ name: 'ghost', masked: true })).status).toBe('changed');
    const start = await run({ name: 'ghost', state: 'started' });
    expect(start.status).toBe('failed');
    expect((await run({ name: 'ghost', masked: true })).status).toBe('ok');
    const r = await run({ name: 'ghost', masked: false });
    expect(r.changes).toEqual(['unmask ghost.service']);
    expect(r.status).toBe('changed');
    expect((await run({ name: 'ghost', masked: false })).status).toBe('ok');
  });

  it("a unit that fails to start fails the task with systemctl's words and the unit status", async () => {
    unit('broken', '/bin/false');
    const r = await run({ name: 'broken', state: 'started' });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^start broken\.service failed: Job for broken\.service failed/);
    expect(r.data.status).toMatchObject({ ActiveState: 'failed' });
  });

  it('an unknown unit is refused; check mode predicts it with what the real run needs', async () => {
    const r = await run({ name: 'nope', state: 'started' });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^Could not find the requested service nope\.service/);
    const check = await run({ name: 'nope', state: 'started' }, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'start nope.service (now inactive (dead)) (nope.service is not on the host yet: a real run fails unless an earlier task creates it)',
    ]);
  });
});
