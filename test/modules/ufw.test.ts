// ufw for real (Debian's ufw 0.36), in a private network and mount namespace: ufw's rules go to
// the namespace's netfilter, and /etc/ufw, /lib/ufw and /etc/default are private copies bound over
// the real ones, so this machine's firewall and files never change. SSH_CONNECTION is set as sshd
// sets it, so the lock-out safety sees a session on port 2222.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ufwModule } from '../../modules/host/ufw.js';
import { runModule } from '../helpers/module-harness.js';
import { netnsHost } from '../helpers/netns.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { validationErrors } from '../helpers/validation-errors.js';

planFixtures(ufwModule, path.join(import.meta.dirname, 'ufw'));

const copies = mkdtempSync(path.join(os.tmpdir(), 'hb-ufw-'));
afterAll(() => rmSync(copies, { recursive: true, force: true }));
const PRIVATE = ['/etc/ufw', '/lib/ufw', '/etc/default'];

describe('ufw in a private network namespace with private /etc/ufw, /lib/ufw, /etc/default', () => {
  const ns = netnsHost(
    () =>
      Object.fromEntries(
        PRIVATE.map((d) => {
          const copy = path.join(copies, d.replace(/\//g, '_'));
          cpSync(d, copy, { recursive: true, preserveTimestamps: true });
          return [d, copy];
        }),
      ),
    { SSH_CONNECTION: '10.0.0.1 50000 10.0.0.2 2222' },
  );
  const sh = async (...argv: string[]) => (await ns.h.connection.exec(argv)).stdout;
  const run = (args: unknown, check = false) => runModule(ufwModule, args, { connection: ns.h.connection }, { check });
  const machineConf = readFileSync('/etc/ufw/ufw.conf', 'utf8');

  it('check mode adds nothing; the run adds the rule; the second run is ok', async () => {
    const args = { rule: 'allow', port: '6443', proto: 'tcp', comment: 'k3s API' };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([`ufw allow from any to any port 6443 proto tcp comment 'k3s API'`]);
    expect(await sh('grep', '-c', '6443', '/etc/ufw/user.rules')).toBe('0\n');
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data?.commands).toEqual([`ufw allow from any to any port 6443 proto tcp comment 'k3s API'`]);
    expect(await sh('grep', '^### tuple', '/etc/ufw/user.rules')).toBe(
      `### tuple ### allow tcp 6443 0.0.0.0/0 any 0.0.0.0/0 in comment=${Buffer.from('k3s API').toString('hex')}\n`,
    );
    expect((await run(args)).status).toBe('ok');
  });

  it('enabling with deny incoming and no rule for the session’s SSH port is refused; with the rule it enables', async () => {
    const refused = await run({ state: 'enabled', policy: 'deny' });
    expect(refused.status).toBe('failed');
    expect(refused.msg).toMatch(
      /^refusing to leave ufw enabled with incoming policy deny and no rule allowing SSH port 2222/,
    );
    expect(await sh('ufw', 'status')).toBe('Status: inactive\n');
    expect((await run({ rule: 'limit', port: '2222', proto: 'tcp' })).status).toBe('changed');
    const check = await run({ state: 'enabled', policy: 'deny' }, true);
    expect(check.changes).toEqual(['ufw enable']);
    expect(await sh('ufw', 'status')).toBe('Status: inactive\n');
    const on = await run({ state: 'enabled', policy: 'deny' });
    expect(on.status).toBe('changed');
    expect(on.msg).toMatch(/^Status: active\nLogging: on \(low\)\nDefault: deny \(incoming\), allow \(outgoing\)/);
    expect(await sh('iptables', '-S', 'ufw-user-input')).toContain('--dport 2222');
    expect((await run({ state: 'enabled', policy: 'deny' })).status).toBe('ok');
    // Deleting the rule that lets the session in is refused too while ufw is on.
    const del = await run({ rule: 'limit', port: '2222', proto: 'tcp', delete: true });
    expect(del.status).toBe('failed');
    expect(await sh('iptables', '-S', 'ufw-user-input')).toContain('--dport 2222');
  });

  it('default, logging, delete, route and disable as the reference decides them', async () => {
    const out = await run({ default: 'reject', direction: 'outgoing' });
    expect(out.changes).toEqual(['default outgoing policy allow → reject']);
    expect(await sh('grep', '^DEFAULT_OUTPUT_POLICY', '/etc/default/ufw')).toBe('DEFAULT_OUTPUT_POLICY="REJECT"\n');
    expect((await run({ default: 'allow', direction: 'outgoing' })).status).toBe('changed');
    expect((await run({ logging: 'on' })).status).toBe('ok');
    expect((await run({ logging: 'medium' })).changes).toEqual(['logging low → medium']);
    expect((await run({ logging: 'medium' })).status).toBe('ok');
    const gone = await run({ rule: 'allow', port: '6443', proto: 'tcp', delete: true });
    expect(gone.status).toBe('changed');
    expect(await sh('grep', '-c', '6443', '/etc/ufw/user.rules')).toBe('0\n');
    expect((await run({ rule: 'allow', port: '6443', proto: 'tcp', delete: true })).status).toBe('ok');
    const route = { rule: 'allow', route: true, interface_in: 'lo', interface_out: 'lo', from_ip: '10.42.0.0/16' };
    expect((await run(route)).status).toBe('changed');
    expect((await run(route)).status).toBe('ok');
    expect((await run({ state: 'disabled' })).changes).toEqual(['ufw disable']);
    expect(await sh('ufw', 'status')).toBe('Status: inactive\n');
    expect(readFileSync('/etc/ufw/ufw.conf', 'utf8')).toBe(machineConf);
  });

  it('what ufw refuses fails with its words; the reference’s argument checks fail before running', async () => {
    const bad = await run({ rule: 'allow', port: 'lots', proto: 'tcp' });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toMatch(/Bad port|Could not find a profile/);
    expect((await run({ rule: 'allow', interface: 'eth0' })).msg).toBe(
      "missing parameter(s) required by 'interface': direction",
    );
    expect((await run({ rule: 'allow', direction: 'routed' })).msg).toBe(
      'For rules, direction must be one of "in" and "out", or direction must not be specified.',
    );
  });
});

describe('bad ufw arguments are refused at validation, with file:line:col, before anything runs', () => {
  const tasks = [
    '    - community.general.ufw: { rule: permit, port: 22 }',
    '    - ufw: { state: on }',
    '    - ufw: { port: 22 }',
  ];
  it('names the task, the argument and what to write', () => {
    const out = validationErrors(tasks);
    expect(out).toEqual([
      expect.stringMatching(/^3:\d+ argument 'rule' of module 'ufw' must be one of: allow, deny, limit, reject/),
      expect.stringMatching(
        /^4:\d+ argument 'state' of module 'ufw' must be one of: enabled, disabled, reloaded, reset/,
      ),
      expect.stringMatching(/^5:\d+ 'ufw' needs 'rule'/),
    ]);
  });
});
