// package, service_facts and package_facts on a real sshd node with its own dpkg database
// (test/helpers/apt-node.ts), and dnf's plan from the rpm and `dnf --assumeno` output it reads.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dnf } from '../../modules/host/dnf.js';
import { packageModule } from '../../modules/host/package.js';
import { packageFacts } from '../../modules/host/package_facts.js';
import { parseServices, serviceFacts } from '../../modules/host/service_facts.js';
import { aptNode } from '../helpers/apt-node.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';

planFixtures(dnf, path.join(import.meta.dirname, 'dnf'));
planFixtures(packageModule, path.join(import.meta.dirname, 'package'));

describe('package over real sshd: the manager from the host', () => {
  const h = aptNode('package-node');
  const run = (args: Record<string, unknown>, check = false, vars: Record<string, unknown> = {}) =>
    runModule(packageModule, args, { connection: h.connection, vars }, { check });

  it('finds apt, predicts in check mode, installs, then is ok', async () => {
    await h.connection.exec(['apt-get', '-qq', 'update']);
    const check = await run({ name: ['open-iscsi'] }, true);
    expect(check).toMatchObject({ status: 'changed', changes: ['install open-iscsi 2.1.8-1'] });
    expect((await run({ name: 'open-iscsi' })).status).toBe('changed');
    expect((await run({ name: 'open-iscsi' })).status).toBe('ok');
  });

  it('package_facts and service_facts read what the node has, with Ansible’s shapes', async () => {
    const pf = await runModule(packageFacts, {}, { connection: h.connection });
    const packages = (pf.data.ansible_facts as { packages: Record<string, unknown[]> }).packages;
    expect(packages['open-iscsi']).toEqual([
      { name: 'open-iscsi', version: '2.1.8-1', arch: 'all', category: '', source: 'apt' },
    ]);
    expect(packages['nfs-common']).toBeUndefined();
    // A unit that failed to start, as the fleet's systemctl (and systemd) lists it: with a ●.
    await h.connection.exec([
      'sh',
      '-c',
      'printf "[Service]\\nExecStart=/bin/false\\n" > /etc/systemd/system/broken.service',
    ]);
    await h.connection.exec(['systemctl', 'start', 'broken']);
    await h.connection.exec(['systemctl', 'enable', 'iscsid']);
    await h.connection.exec(['systemctl', 'start', 'iscsid']);
    const sf = await runModule(serviceFacts, {}, { connection: h.connection });
    expect(sf.status).toBe('ok');
    expect((sf.data.ansible_facts as { services: unknown }).services).toMatchObject({
      'iscsid.service': { name: 'iscsid.service', state: 'running', status: 'enabled', source: 'systemd' },
      'broken.service': { name: 'broken.service', state: 'stopped', status: 'failed', source: 'systemd' },
    });
  });

  it('refuses a manager it does not drive, naming it', async () => {
    const r = await run({ name: 'nfs-utils' }, false, { ansible_facts: { pkg_mgr: 'zypper' } });
    expect(r.status).toBe('failed');
    expect(r.msg).toMatch(/^package: this host's package manager is 'zypper'/);
  });
});

describe('service_facts parses systemctl as Ansible does', () => {
  it('real systemd 252 output: a ● before failed and not-found units, unit files for the rest', () => {
    const text = `@units
  UNIT                       LOAD      ACTIVE   SUB     DESCRIPTION
  cron.service               loaded    active   running Regular background program processing daemon
● k3s-agent.service          loaded    failed   failed  Lightweight Kubernetes
● nfs-server.service         not-found inactive dead    nfs-server.service

LOAD   = Reflects whether the unit definition was properly loaded.
3 loaded units listed.
@files
UNIT FILE                  STATE           VENDOR PRESET
cron.service               enabled         enabled
k3s-agent.service          enabled         enabled
iscsid.service             disabled        enabled
@active
Id=iscsid.service
ActiveState=inactive
`;
    expect(parseServices(text)).toEqual({
      'cron.service': { name: 'cron.service', state: 'running', status: 'enabled', source: 'systemd' },
      'k3s-agent.service': { name: 'k3s-agent.service', state: 'stopped', status: 'failed', source: 'systemd' },
      'nfs-server.service': { name: 'nfs-server.service', state: 'stopped', status: 'not-found', source: 'systemd' },
      'iscsid.service': { name: 'iscsid.service', state: 'unknown', status: 'disabled', source: 'systemd' },
    });
  });
});
