// iptables for real, in a private network namespace (test/helpers/netns.ts): Debian's iptables
// changes the namespace's rules, never this machine's. Ansible's own argv order is what -C
// matches, so a rule herdbook adds is found by Ansible and the other way round (the conformance
// case `firewalls` runs both).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iptables } from '../../modules/host/iptables.js';
import { runModule } from '../helpers/module-harness.js';
import { netnsHost } from '../helpers/netns.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { validationErrors } from '../helpers/validation-errors.js';

planFixtures(iptables, path.join(import.meta.dirname, 'iptables'));

describe('iptables in a private network namespace', () => {
  const ns = netnsHost();
  const rules = async (table = 'filter') => (await ns.h.connection.exec(['iptables', '-t', table, '-S'])).stdout;
  const hostRules = async () => {
    const { LocalConnection } = await import('../../engine/connection/local.js');
    return (await new LocalConnection('me').exec(['iptables', '-S'])).stdout;
  };
  const run = (args: unknown, check = false) => runModule(iptables, args, { connection: ns.h.connection }, { check });

  it('check mode adds nothing; the run appends the rule; the second run is ok; the machine’s rules never change', async () => {
    const mine = await hostRules();
    const args = { chain: 'INPUT', protocol: 'tcp', destination_port: 6443, jump: 'ACCEPT', comment: 'k3s API' };
    const check = await run(args, true);
    expect(check.status).toBe('changed');
    expect(check.changes).toEqual([
      'append to filter INPUT: -p tcp -j ACCEPT --destination-port 6443 -m comment --comment k3s API',
    ]);
    expect(await rules()).not.toContain('6443');
    const r = await run(args);
    expect(r.status).toBe('changed');
    expect(r.data).toMatchObject({
      chain: 'INPUT',
      table: 'filter',
      rule: '-p tcp -j ACCEPT --destination-port 6443 -m comment --comment k3s API',
      state: 'present',
      ip_version: 'ipv4',
      flush: false,
      chain_management: false,
    });
    expect(await rules()).toContain('-A INPUT -p tcp -m tcp --dport 6443 -m comment --comment "k3s API" -j ACCEPT');
    expect((await run(args)).status).toBe('ok');
    expect(await hostRules()).toBe(mine);
  });

  it('insert goes to rule_num; absent deletes; policy and flush as Ansible reports them', async () => {
    await run({ chain: 'INPUT', source: '10.42.0.0/16', jump: 'ACCEPT' });
    await run({ chain: 'INPUT', action: 'insert', rule_num: 1, ctstate: ['ESTABLISHED', 'RELATED'], jump: 'ACCEPT' });
    const lines = (await rules()).split('\n').filter((l) => l.startsWith('-A INPUT'));
    expect(lines[0]).toBe('-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT');
    const gone = await run({ chain: 'INPUT', source: '10.42.0.0/16', jump: 'ACCEPT', state: 'absent' });
    expect(gone.status).toBe('changed');
    expect(await rules()).not.toContain('10.42.0.0/16');
    expect((await run({ chain: 'INPUT', source: '10.42.0.0/16', jump: 'ACCEPT', state: 'absent' })).status).toBe('ok');
    const policyCheck = await run({ chain: 'FORWARD', policy: 'DROP' }, true);
    expect(policyCheck.changes).toEqual(['filter FORWARD policy ACCEPT → DROP']);
    expect(await rules()).toContain('-P FORWARD ACCEPT');
    expect((await run({ chain: 'FORWARD', policy: 'DROP' })).status).toBe('changed');
    expect(await rules()).toContain('-P FORWARD DROP');
    expect((await run({ chain: 'FORWARD', policy: 'DROP' })).status).toBe('ok');
    await run({ table: 'nat', chain: 'POSTROUTING', out_interface: 'lo', jump: 'MASQUERADE' });
    expect(await rules('nat')).toContain('-A POSTROUTING -o lo -j MASQUERADE');
    // Ansible counts a flush as a change every time.
    expect((await run({ table: 'nat', chain: 'POSTROUTING', flush: true })).status).toBe('changed');
    expect((await run({ table: 'nat', chain: 'POSTROUTING', flush: true })).status).toBe('changed');
    expect(await rules('nat')).not.toContain('MASQUERADE');
  });

  it('chain_management creates and deletes a chain; without it an existing chain is reported changed and kept', async () => {
    const args = { chain: 'K3S-TEST', jump: 'RETURN', chain_management: true };
    expect((await run(args)).changes).toEqual(['create chain filter K3S-TEST', 'append to filter K3S-TEST: -j RETURN']);
    expect(await rules()).toContain('-N K3S-TEST');
    await run({ ...args, state: 'absent' });
    expect((await run({ chain: 'K3S-TEST', state: 'absent' })).status).toBe('changed');
    expect(await rules()).toContain('-N K3S-TEST');
    expect((await run({ chain: 'K3S-TEST', state: 'absent', chain_management: true })).status).toBe('changed');
    expect(await rules()).not.toContain('K3S-TEST');
    expect((await run({ chain: 'K3S-TEST', state: 'absent' })).status).toBe('ok');
  });

  it('what iptables refuses fails with its words; a missing chain or a LOG option with another jump fails before running', async () => {
    const bad = await run({ chain: 'INPUT', protocol: 'tcp', destination_port: 'lots', jump: 'ACCEPT' });
    expect(bad.status).toBe('failed');
    expect(bad.msg).toMatch(/invalid port\/service `lots' specified/);
    expect((await run({ protocol: 'tcp' })).msg).toBe('Either chain or flush parameter must be specified.');
    expect((await run({ chain: 'INPUT', log_prefix: 'x', jump: 'DROP' })).msg).toBe(
      'Logging options can only be used with the LOG jump target.',
    );
    expect((await run({ chain: 'NOPE', jump: 'ACCEPT' })).msg).toMatch(
      /No chain\/target\/match by that name|does not exist/i,
    );
  });
});

describe('bad iptables arguments are refused at validation, with file:line:col, before anything runs', () => {
  const tasks = [
    '    - ansible.builtin.iptables: { chain: INPUT, table: filters }',
    '    - iptables: { chain: INPUT, action: prepend }',
    '    - iptables: { chain: INPUT, dport: 22 }',
    '    - iptables: { chain: INPUT, policy: REJECT }',
  ];
  it('names the task, the argument and what to write', () => {
    const out = validationErrors(tasks);
    expect(out).toHaveLength(4);
    expect(out[0]).toMatch(/^3:\d+ .*table.*filter/);
    expect(out[1]).toMatch(/^4:\d+ .*action.*append/);
    expect(out[2]).toMatch(/^5:\d+ .*dport/);
    expect(out[3]).toMatch(/^6:\d+ .*policy.*ACCEPT/);
  });
});
