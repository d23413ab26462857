// `herdbook inventory -i INV --list | --graph | --host H`, like ansible-inventory.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from './fixture.js';
import { expectNoCrash, herdbook } from './run-cli.js';

const dir = project();
writeFileSync(
  path.join(dir, 'lab.yaml'),
  'all:\n  vars: { k3s_port: 6443 }\n  children:\n    proxmox:\n      hosts:\n        pve: { ansible_host: 192.168.1.10 }\n    workers:\n      hosts:\n        w1: { pct_id: 201, node_name: k3s-w1 }\n      vars: { proxmox_host: pve }\n',
);

describe('herdbook inventory', () => {
  it('a YAML warning is printed, and the file still gives its hosts (it once lost them all)', () => {
    writeFileSync(path.join(dir, 'odd.yaml'), '%FOO bar\n---\nall:\n  vars: &v { a: 1 }\n  hosts:\n    h1: *v\n');
    const r = herdbook(['inventory', '-i', 'odd.yaml', '--graph'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('@all:\n  |--@ungrouped:\n  |  |--h1\n');
    expect(r.stderr).toContain('odd.yaml:1:1: warning: unknown directive %FOO');
  });

  it('--list prints every group and host with their variables as JSON', () => {
    const r = herdbook(['inventory', '-i', 'hosts.ini', '--list'], dir);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.k3s).toEqual({ children: ['servers', 'agents'], vars: { k3s_channel: 'stable' } });
    expect(out.servers).toEqual({ hosts: ['srv-1', 'srv-2'] });
    expect(out.agents.hosts).toEqual(['agent-1', 'agent-2', 'agent-3', 'agent-4', 'agent-5']);
    expect(out.all.children).toContain('k3s');
    expect(Object.keys(out._meta.hostvars)).toHaveLength(7);
    expect(out._meta.hostvars['agent-3']).toEqual({ k3s_channel: 'stable' });
  });

  it('--graph prints the group tree', () => {
    const r = herdbook(['inventory', '-i', 'hosts.ini', '--graph'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        '@all:',
        '  |--@k3s:',
        '  |  |--@servers:',
        '  |  |  |--srv-1',
        '  |  |  |--srv-2',
        '  |  |--@agents:',
        '  |  |  |--agent-1',
        '  |  |  |--agent-2',
        '  |  |  |--agent-3',
        '  |  |  |--agent-4',
        '  |  |  |--agent-5',
        '',
      ].join('\n'),
    );
  });

  it("--host prints one host's variables, merged with Ansible's precedence, from a YAML inventory too", () => {
    const r = herdbook(['inventory', '-i', 'lab.yaml', '--host', 'w1'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ k3s_port: 6443, proxmox_host: 'pve', pct_id: 201, node_name: 'k3s-w1' });
  });

  it('merges several -i sources', () => {
    const r = herdbook(['inventory', '-i', 'hosts.ini', '-i', 'lab.yaml', '-i', 'extra-1,extra-2,', '--graph'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  |--@proxmox:\n  |  |--pve\n');
    expect(r.stdout).toContain('  |--@ungrouped:\n  |  |--extra-1\n  |  |--extra-2\n');
  });

  it('says what is wrong with the command line (exit 5) or the inventory (exit 4)', () => {
    const unknownHost = herdbook(['inventory', '-i', 'hosts.ini', '--host', 'agent-9'], dir);
    expect(unknownHost.code).toBe(5);
    expect(unknownHost.stderr).toBe("herdbook: host 'agent-9' is not in the inventory (did you mean 'agent-1'?)\n");
    const noMode = herdbook(['inventory', '-i', 'hosts.ini'], dir);
    expect(noMode.code).toBe(5);
    expect(noMode.stderr).toBe('herdbook: inventory needs exactly one of --list, --graph or --host HOST\n');
    const twoModes = herdbook(['inventory', '-i', 'hosts.ini', '--list', '--graph'], dir);
    expect(twoModes.code).toBe(5);
    const noInventory = herdbook(['inventory', '--list'], dir);
    expect(noInventory.code).toBe(5);
    expect(noInventory.stderr).toBe('herdbook: inventory needs -i INVENTORY\n');
    writeFileSync(path.join(dir, 'broken.ini'), '[k3s:children]\nnothere\n');
    const broken = herdbook(['inventory', '-i', 'broken.ini', '--list'], dir);
    expectNoCrash(broken);
    expect(broken.code).toBe(4);
    expect(broken.stderr).toContain("broken.ini:2:1: error: section [k3s:children] includes undefined group 'nothere'");
  });
});
