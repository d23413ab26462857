// Inventories from disk: files, directories of them, host lists, and the group_vars/ and
// host_vars/ folders next to the inventory and next to the playbook, with Ansible's precedence.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectionSettings } from '../../../engine/inventory/connection-vars.js';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { inventoryVars } from '../../../engine/inventory/host-vars.js';
import { loadInventory } from '../../../engine/inventory/load.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { tempTree } from '../../helpers/tmp.js';

const SEED_001 = `[proxmox]
pve ansible_host=192.168.1.10 ansible_user=root

[k3s_controllers]
k3sc1 pct_id=101 node_name=k3s-c1

[k3s_workers]
k3sw1 pct_id=201 node_name=k3s-w1
k3sw2 pct_id=202 node_name=k3s-w2

[k3s:children]
k3s_controllers
k3s_workers

[k3s:vars]
proxmox_host=pve
ansible_user=root
`;

describe('an inventory directory', () => {
  const dir = tempTree({
    'inv/10-hosts.ini': '[servers]\nsrv-[1:2] k3s_role=server\n',
    'inv/20-agents.yaml':
      'all:\n  children:\n    agents:\n      hosts:\n        agent-[01:02]:\n          k3s_role: agent\n      vars:\n        k3s_channel: stable\n    k3s:\n      children:\n        servers:\n        agents:\n',
    'inv/README.md': '# not an inventory\n[oops\n',
    'inv/hosts.ini~': '[backup\n',
    'inv/group_vars/all.yaml': 'from_all: inventory-dir\nlevel: all\n',
    'inv/group_vars/servers/10-main.yaml': 'level: servers-group_vars\nk3s_port: 6443\n',
    'inv/group_vars/servers/20-more.yml': 'k3s_port: 6444\n',
    'inv/host_vars/srv-1': 'level: srv-1-host_vars\n',
    'inv/host_vars/agent-01.json': '{"level": "agent-01-host_vars"}\n',
  });
  const loaded = loadInventory([path.join(dir, 'inv')]);
  const inv = loaded.inventory;
  const idx = indexGroups(inv);

  it('reads every inventory file in it, skipping editor backups and notes', () => {
    expect(loaded.diagnostics).toEqual([]);
    expect([...inv.hosts.keys()]).toEqual(['srv-1', 'srv-2', 'agent-01', 'agent-02']);
    expect(idx.hostsOf('k3s')).toEqual(['srv-1', 'srv-2', 'agent-01', 'agent-02']);
    expect(inv.groups.get('k3s')!.children).toEqual(['servers', 'agents']);
  });

  it('merges group_vars and host_vars files and folders (folder files in name order)', () => {
    expect(inventoryVars(inv, idx, 'srv-1')).toEqual({
      k3s_role: 'server',
      from_all: 'inventory-dir',
      level: 'srv-1-host_vars',
      k3s_port: 6444,
    });
    expect(inventoryVars(inv, idx, 'srv-2').level).toBe('servers-group_vars');
    expect(inventoryVars(inv, idx, 'agent-01')).toEqual({
      k3s_role: 'agent',
      k3s_channel: 'stable',
      from_all: 'inventory-dir',
      level: 'agent-01-host_vars',
    });
    expect(inventoryVars(inv, idx, 'agent-02').level).toBe('all');
  });
});

describe('group_vars next to the playbook', () => {
  const dir = tempTree({
    'inventory/hosts.ini':
      '[servers]\nsrv-1 where=inventory-host\nsrv-2\n\n[servers:vars]\nwhere=inventory-group\ngroup_only=1\n',
    'inventory/group_vars/servers.yaml': 'where: inventory-dir-group_vars\nfrom_inventory_dir: yes\n',
    'playbooks/site.yaml': '- hosts: servers\n  tasks:\n    - debug: { msg: "{{ where }} {{ from_playbook_dir }}" }\n',
    'playbooks/group_vars/servers.yaml': 'where: playbook-dir-group_vars\nfrom_playbook_dir: true\n',
    'playbooks/host_vars/srv-2.yaml': 'where: playbook-dir-host_vars\n',
  });
  const v = validatePlaybooks([path.join(dir, 'playbooks/site.yaml')], {
    inventory: [path.join(dir, 'inventory/hosts.ini')],
    registry: createSchemaRegistry(),
  });
  const inv = v.inventory!;
  const idx = indexGroups(inv);
  const pbFiles = v.playbookVarsFiles.get(path.join(dir, 'playbooks/site.yaml'));

  it('loads them, and a variable defined only there is not reported as undefined', () => {
    expect(v.diagnostics).toEqual([]);
  });

  it('ranks playbook-dir vars files above the inventory dir, host vars above group vars', () => {
    // Inventory file host vars beat every group_vars file, as in Ansible.
    expect(inventoryVars(inv, idx, 'srv-1', pbFiles)).toEqual({
      where: 'inventory-host',
      group_only: 1,
      from_inventory_dir: true,
      from_playbook_dir: true,
    });
    expect(inventoryVars(inv, idx, 'srv-2', pbFiles).where).toBe('playbook-dir-host_vars');
    expect(inventoryVars(inv, idx, 'srv-2').where).toBe('inventory-dir-group_vars');
  });
});

describe('the seed-001 inventory (Proxmox LXC, pct_id and node_name)', () => {
  const dir = tempTree({ hosts: SEED_001 });
  const loaded = loadInventory([path.join(dir, 'hosts')]);
  const inv = loaded.inventory;
  const idx = indexGroups(inv);

  it('loads unchanged from a file without extension, values typed', () => {
    expect(loaded.diagnostics).toEqual([]);
    expect(idx.hostsOf('k3s_workers')).toEqual(['k3sw1', 'k3sw2']);
    expect(inventoryVars(inv, idx, 'k3sw2')).toEqual({
      proxmox_host: 'pve',
      ansible_user: 'root',
      pct_id: 202,
      node_name: 'k3s-w2',
    });
  });

  it('turns its Ansible connection variables into a pct connection through the Proxmox host', () => {
    const vars = inventoryVars(inv, idx, 'k3sw1');
    const s = connectionSettings('k3sw1', (n) => vars[n]);
    expect(s).toMatchObject({ kind: 'pct', pctHost: 'pve', pctVmid: 201, user: 'root' });
    const pveVars = inventoryVars(inv, idx, 'pve');
    expect(connectionSettings('pve', (n) => pveVars[n])).toMatchObject({
      kind: 'ssh',
      address: '192.168.1.10',
      user: 'root',
    });
  });
});

describe('host lists and sources', () => {
  it('reads "h1,h2," as ungrouped hosts, and "h1," as one', () => {
    const two = loadInventory(['w-1,w-2,']);
    expect(two.diagnostics).toEqual([]);
    expect(indexGroups(two.inventory).hostsOf('ungrouped')).toEqual(['w-1', 'w-2']);
    expect([...loadInventory(['solo,']).inventory.hosts.keys()]).toEqual(['solo']);
  });

  it('merges several -i sources in order', () => {
    const dir = tempTree({ 'a.ini': '[web]\nw1\n', 'b.yaml': 'web:\n  hosts:\n    w2:\n' });
    const inv = loadInventory([path.join(dir, 'a.ini'), path.join(dir, 'b.yaml'), 'x1,']).inventory;
    expect([...inv.hosts.keys()]).toEqual(['w1', 'w2', 'x1']);
    expect(inv.groups.get('web')!.hosts).toEqual(['w1', 'w2']);
  });

  it('says when a source does not exist, with what -i accepts', () => {
    const r = loadInventory(['/nonexistent/inventory.ini']);
    expect(r.diagnostics).toEqual([
      {
        severity: 'error',
        message: 'inventory not found: /nonexistent/inventory.ini',
        hint: 'give an inventory file, a directory of them, or a host list ending with a comma (h1,h2,)',
      },
    ]);
  });
});

describe('herdbook_executor', () => {
  it('turns the persistent executor off or on per host, and leaves the default when unset', () => {
    expect(connectionSettings('a', (n) => ({ herdbook_executor: false })[n as 'herdbook_executor']).executor).toBe(
      false,
    );
    expect(connectionSettings('a', (n) => ({ herdbook_executor: 'yes' })[n as 'herdbook_executor']).executor).toBe(
      true,
    );
    expect(connectionSettings('a', () => undefined).executor).toBeUndefined();
  });
});
