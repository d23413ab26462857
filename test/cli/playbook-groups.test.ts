// The shipped playbooks on the inventories users already have: k3s-ansible's (server, agent
// under k3s_cluster), techno-tim's (master, node), ours (k3s_servers, k3s_agents), and a site's
// own names given once as k3s_server_group / k3s_agent_group. list-hosts shows the hosts each
// play gets, as run will go through them; validate accepts every playbook with each inventory.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/tmp.js';
import { expectNoCrash, herdbook } from './run-cli.js';

const PLAYBOOKS = path.resolve(import.meta.dirname, '../../playbooks');

type Cluster = { servers: string[]; agents: string[] };

/** Each play's hosts (all batches, in order), per shipped playbook, for a cluster. */
function expected(c: Cluster): Record<string, string[][]> {
  const first = c.servers.slice(0, 1);
  const nodes = [...c.servers, ...c.agents];
  return {
    'backup-etcd.yaml': [first],
    'canary-cutover.yaml': [first, [], first],
    'check-version-skew.yaml': [first],
    'cluster-health.yaml': [first],
    'controller-noschedule.yaml': [first],
    'ha-bootstrap.yaml': [first],
    'ha-join-servers.yaml': [first, c.servers.slice(1), first],
    'ha-validate.yaml': [first, c.servers, first],
    'join-node.yaml': [first, []],
    'recover-nodes.yaml': [nodes, first],
    'refresh-kubeconfig.yaml': [first],
    'remove-node.yaml': [[]],
    'rollback-k3s.yaml': [nodes, first, c.servers, first, c.servers.slice(1), c.agents, c.servers, first],
    'upgrade-k3s.yaml': [nodes, first, c.servers, c.agents, first],
    'worker-prereqs.yaml': [c.agents],
  };
}

type Listed = { pattern: string; hosts: string[] };

/** list-hosts' output as plays per playbook (by file name): the rendered pattern and every batch's hosts in order. */
function parseListHosts(stdout: string): Record<string, Listed[]> {
  const out: Record<string, Listed[]> = {};
  let plays: Listed[] = [];
  for (const line of stdout.split('\n')) {
    const pb = /^playbook: (.*)$/.exec(line);
    if (pb) out[path.basename(pb[1])] = plays = [];
    const play = /^ {2}play #\d+ \((.*)\): /.exec(line);
    if (play) plays.push({ pattern: play[1], hosts: [] });
    const batch = /^ {4}batch \d+\/\d+: (.*)$/.exec(line);
    if (batch) plays[plays.length - 1].hosts.push(...batch[1].split(' '));
  }
  return out;
}

const SHIPPED = readdirSync(PLAYBOOKS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

/** One list-hosts over every shipped playbook (one process: each costs half a second). */
function listHosts(dir: string, extra: string[] = []): Record<string, Listed[]> {
  const r = herdbook(['list-hosts', ...SHIPPED.map((f) => path.join(PLAYBOOKS, f)), '-i', 'inventory', ...extra], dir);
  expectNoCrash(r);
  expect(r.code, r.stderr).toBe(0);
  return parseListHosts(r.stdout);
}

/** Every shipped playbook's plays get exactly the hosts `expected` says, under these groups. */
function expectPlays(dir: string, cluster: Cluster, groups: { server: string; agent: string }, extra: string[] = []) {
  const want = expected(cluster);
  expect(Object.keys(want).sort()).toEqual(SHIPPED);
  const listed = listHosts(dir, extra);
  expect(Object.keys(listed).sort()).toEqual(SHIPPED);
  for (const pb of SHIPPED) {
    expect(
      listed[pb].map((p) => p.hosts),
      pb,
    ).toEqual(want[pb]);
    // The header names the groups it chose: what --check and a real run will use.
    for (const p of listed[pb]) {
      if (['k3s_new', 'k3s_remove', 'k3s_canary_old'].includes(p.pattern)) continue;
      expect(p.pattern, pb).toMatch(
        // :!host: the servers but the primary (ha-join-servers.yaml).
        new RegExp(`^(${groups.server}|${groups.agent})(\\[0\\]|\\[1:\\]|:${groups.agent}|:![^:]+)?$`),
      );
    }
  }
}

/** validate on every shipped playbook: exit 0, and no play that matches no host but those that wait for -e. */
function expectValid(dir: string, extra: string[] = []) {
  const r = herdbook(['validate', ...SHIPPED.map((f) => path.join(PLAYBOOKS, f)), '-i', 'inventory', ...extra], dir);
  expectNoCrash(r);
  expect(r.code, r.stderr).toBe(0);
  const noHost = r.stderr.split('\n').filter((l) => l.includes('matches no host'));
  expect(
    noHost.every((l) => /'k3s_new'|'k3s_remove'|'k3s_canary_old'/.test(l)),
    noHost.join('\n'),
  ).toBe(true);
}

describe('shipped playbooks on the inventories users have', () => {
  it("k3s-ansible's: groups server and agent under k3s_cluster, its variables beside them", () => {
    const dir = tempTree({
      // k3s-ansible's inventory-sample.yml with plain values (api_endpoint is Jinja there).
      'inventory/hosts.yaml': [
        'k3s_cluster:',
        '  children:',
        '    server:',
        '      hosts:',
        '        192.16.35.11:',
        '        192.16.35.12:',
        '    agent:',
        '      hosts:',
        '        192.16.35.13:',
        '        192.16.35.14:',
        '        192.16.35.15:',
        '  vars:',
        '    ansible_port: 22',
        '    ansible_user: debian',
        '    k3s_version: v1.31.12+k3s1',
        '    token: "changeme!"',
        '    api_endpoint: 192.16.35.11',
        '    extra_server_args: ""',
        '    extra_agent_args: "--node-label disk=ssd"',
        '',
      ].join('\n'),
    });
    const cluster = {
      servers: ['192.16.35.11', '192.16.35.12'],
      agents: ['192.16.35.13', '192.16.35.14', '192.16.35.15'],
    };
    expectPlays(dir, cluster, { server: 'server', agent: 'agent' });
    expectValid(dir);
  });

  it("techno-tim's: groups master and node, variables in group_vars/all", () => {
    const dir = tempTree({
      'inventory/hosts.ini':
        '[master]\n192.168.30.38\n192.168.30.39\n192.168.30.40\n\n[node]\n192.168.30.41\n192.168.30.42\n\n[k3s_cluster:children]\nmaster\nnode\n',
      'inventory/group_vars/all.yml':
        'k3s_version: v1.30.2+k3s2\nansible_user: ansibleuser\nsystemd_dir: /etc/systemd/system\nk3s_token: some-SUPER-DEDEUPER-secret-password\napiserver_endpoint: 192.168.30.222\n',
    });
    const cluster = {
      servers: ['192.168.30.38', '192.168.30.39', '192.168.30.40'],
      agents: ['192.168.30.41', '192.168.30.42'],
    };
    expectPlays(dir, cluster, { server: 'master', agent: 'node' });
    expectValid(dir);
  });

  it('ours: k3s_servers and k3s_agents win over the other names when an inventory has several', () => {
    const dir = tempTree({
      'inventory/hosts.ini':
        '[k3s_servers]\ncp-1\n\n[k3s_agents]\nw-1\nw-2\n\n[server]\nlegacy-1\n\n[node]\nw-1\nw-2\nlegacy-2\n',
    });
    expectPlays(dir, { servers: ['cp-1'], agents: ['w-1', 'w-2'] }, { server: 'k3s_servers', agent: 'k3s_agents' });
  });

  it("a site's own names: the pair set once in group_vars/all, and -e over it", () => {
    const dir = tempTree({
      'inventory/hosts.ini':
        '[control]\nctl-a\nctl-b\n\n[workers]\nwrk-1\nwrk-2\n\n[canary]\nwrk-1\n\n[master]\nnot-this-one\n',
      'inventory/group_vars/all.yaml': 'k3s_server_group: control\nk3s_agent_group: workers\n',
    });
    expectPlays(
      dir,
      { servers: ['ctl-a', 'ctl-b'], agents: ['wrk-1', 'wrk-2'] },
      { server: 'control', agent: 'workers' },
    );
    expectValid(dir);
    // -e wins over group_vars/all, as everywhere else.
    expectPlays(dir, { servers: ['ctl-a', 'ctl-b'], agents: ['wrk-1'] }, { server: 'control', agent: 'canary' }, [
      '-e',
      'k3s_agent_group=canary',
    ]);
  });

  it('a server-only inventory: the agent plays run nowhere and validate says so', () => {
    const dir = tempTree({ 'inventory/hosts.ini': '[server]\nsolo\n' });
    const upgrade = listHosts(dir)['upgrade-k3s.yaml'];
    expect(upgrade.map((p) => [p.pattern, p.hosts])).toEqual([
      ['server:k3s_agents', ['solo']],
      ['server[0]', ['solo']],
      ['server', ['solo']],
      ['k3s_agents', []],
      ['server[0]', ['solo']],
    ]);
    const r = herdbook(['validate', path.join(PLAYBOOKS, 'upgrade-k3s.yaml'), '-i', 'inventory'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("host pattern 'k3s_agents' matches no host in the inventory");
  });
});
