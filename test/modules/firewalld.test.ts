// firewalld without a daemon, as ansible.posix works offline: firewall-offline-cmd (Debian's
// firewalld) on the permanent configuration, in a private mount namespace where /etc/firewalld
// is a copy, so this machine's configuration never changes.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firewalld } from '../../modules/host/firewalld.js';
import { runModule } from '../helpers/module-harness.js';
import { netnsHost } from '../helpers/netns.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { validationErrors } from '../helpers/validation-errors.js';

planFixtures(firewalld, path.join(import.meta.dirname, 'firewalld'));

const copies = mkdtempSync(path.join(os.tmpdir(), 'hb-firewalld-'));
afterAll(() => rmSync(copies, { recursive: true, force: true }));
const OFFLINE = '(offline operation: only on-disk configs were altered)';

describe('firewalld offline (firewall-offline-cmd) with a private /etc/firewalld', () => {
  const ns = netnsHost(() => {
    cpSync('/etc/firewalld', path.join(copies, 'etc'), { recursive: true });
    return { '/etc/firewalld': path.join(copies, 'etc') };
  });
  const zone = (z: string) => readFileSync(path.join(copies, 'etc', 'zones', `${z}.xml`), 'utf8');
  const run = (args: unknown, check = false) => runModule(firewalld, args, { connection: ns.h.connection }, { check });
  const machine = readFileSync('/etc/firewalld/firewalld.conf', 'utf8');

  it('check mode writes nothing; the run adds the port; the second run is ok; msg as the reference words it', async () => {
    const args = { port: '6443/tcp', permanent: true, state: 'enabled' };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual(['add port 6443/tcp to zone public (permanent, offline)']);
    expect(() => zone('public')).toThrow();
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.msg).toBe(`Permanent operation, Changed port 6443/tcp to enabled, ${OFFLINE}`);
    expect(zone('public')).toContain('<port port="6443" protocol="tcp"/>');
    const again = await run(args);
    expect(again.status).toBe('ok');
    expect(again.data?.msg).toBe(`Permanent operation, ${OFFLINE}`);
    expect((await run({ ...args, state: 'disabled' })).status).toBe('changed');
    expect(zone('public')).not.toContain('6443');
  });

  it('a zone with a source, a service, masquerade, a rich rule and an interface; then the zone removed', async () => {
    const p = { permanent: true };
    expect((await run({ zone: 'k3s', state: 'present', ...p })).msg).toBe(
      `Permanent operation, Added zone k3s, Changed zone k3s to present, ${OFFLINE}`,
    );
    expect((await run({ zone: 'k3s', source: '10.42.0.0/16', state: 'enabled', ...p })).msg).toBe(
      `Permanent operation, Added 10.42.0.0/16 to zone k3s, ${OFFLINE}`,
    );
    expect((await run({ zone: 'k3s', service: 'http', state: 'enabled', ...p })).status).toBe('changed');
    expect((await run({ zone: 'k3s', masquerade: true, state: 'enabled', ...p })).msg).toBe(
      `Permanent operation, Added masquerade to zone k3s, ${OFFLINE}`,
    );
    const rich = 'rule family="ipv4" source address="10.43.0.0/16" accept';
    expect((await run({ zone: 'k3s', rich_rule: rich, state: 'enabled', ...p })).status).toBe('changed');
    expect((await run({ zone: 'k3s', rich_rule: rich, state: 'enabled', ...p })).status).toBe('ok');
    expect((await run({ zone: 'k3s', interface: 'cni0', state: 'enabled', ...p })).msg).toBe(
      `Permanent operation, Changed cni0 to zone k3s, ${OFFLINE}`,
    );
    const xml = zone('k3s');
    for (const part of [
      '<source address="10.42.0.0/16"/>',
      '<service name="http"/>',
      '<masquerade/>',
      '<interface name="cni0"/>',
    ])
      expect(xml).toContain(part);
    expect(xml).toContain('10.43.0.0/16');
    // The interface moves: out of k3s when it goes to trusted.
    expect((await run({ zone: 'trusted', interface: 'cni0', state: 'enabled', ...p })).status).toBe('changed');
    expect(zone('k3s')).not.toContain('cni0');
    expect((await run({ zone: 'k3s', masquerade: 'no', state: 'enabled', ...p })).status).toBe('changed');
    expect(zone('k3s')).not.toContain('<masquerade/>');
    expect((await run({ zone: 'k3s', state: 'absent', ...p })).status).toBe('changed');
    expect(() => zone('k3s')).toThrow();
    expect((await run({ zone: 'k3s', state: 'absent', ...p })).status).toBe('ok');
    expect(readFileSync('/etc/firewalld/firewalld.conf', 'utf8')).toBe(machine);
  });

  it('fails as the reference does: immediate without a daemon, present for an item, firewalld’s own errors', async () => {
    expect((await run({ port: '6443/tcp', state: 'enabled' })).msg).toBe(
      'firewall is not currently running, unable to perform immediate actions without a running firewall daemon',
    );
    expect((await run({ port: '6443/tcp', permanent: true, state: 'present' })).msg).toBe(
      'absent and present state can only be used in zone level operations',
    );
    const bad = await run({ service: 'no-such-service', permanent: true, state: 'enabled' });
    expect(bad.status).toBe('failed');
    // The reference's words offline (ansible.posix 1.5.4 run on the same copy): the add fails, so
    // its msgs already hold the operation, then the hint.
    expect(bad.msg).toBe(
      "ERROR: Exception caught: INVALID_SERVICE: Zone 'public': 'no-such-service' not among existing services " +
        'Permanent operation, Services are defined by port/tcp relationship and named as they are in /etc/services (on most systems)',
    );
    const zoneless = await run({ zone: 'nope', port: '1/tcp', permanent: true, state: 'enabled' });
    expect(zoneless.msg).toBe('ERROR: Exception caught: INVALID_ZONE: get_zone(): nope');
  });
});

describe('bad firewalld arguments are refused at validation, with file:line:col, before anything runs', () => {
  const tasks = [
    '    - ansible.posix.firewalld: { port: 6443/tcp, permanent: true }',
    '    - firewalld: { port: 6443/tcp, state: on }',
    '    - firewalld: { port: "6443", state: enabled, permanent: true }',
  ];
  it('names the task, the argument and what to write', () => {
    const out = validationErrors(tasks);
    expect(out).toEqual([
      expect.stringMatching(/^3:\d+ module 'firewalld' needs 'state'/),
      expect.stringMatching(/^4:\d+ argument 'state' of module 'firewalld' must be one of/),
      expect.stringMatching(/^5:\d+ argument 'port' of module 'firewalld' .*PORT\/PROTOCOL/),
    ]);
  });
});
