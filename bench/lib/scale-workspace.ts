// The scale benchmark's input: an inventory of N hosts in racks and datacenters with
// group_vars/ and host_vars/, and a playbook of 10 tasks that template, resolve variables from
// every level, set facts, register results and evaluate conditions.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export const SCALE_TASKS = 10;
const RACK = 50;

export type ScaleWorkspace = { dir: string; inventory: string; playbook: string; hosts: number; remove(): void };

export function hostName(i: number): string {
  return `host-${String(i + 1).padStart(5, '0')}`;
}

export function scaleWorkspace(hosts: number): ScaleWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-bench-scale-'));
  const racks = Math.ceil(hosts / RACK);
  const rackName = (r: number) => `rack_${String(r + 1).padStart(3, '0')}`;
  const children: Record<string, { children: Record<string, null> }> = {
    dc_a: { children: {} },
    dc_b: { children: {} },
  };
  const rackGroups: Record<string, { hosts: Record<string, null> }> = {};
  for (let r = 0; r < racks; r++) {
    const members = Array.from({ length: Math.min(RACK, hosts - r * RACK) }, (_, i): [string, null] => [
      hostName(r * RACK + i),
      null,
    ]);
    rackGroups[rackName(r)] = { hosts: Object.fromEntries(members) };
    children[r % 2 ? 'dc_b' : 'dc_a'].children[rackName(r)] = null;
  }
  const inventory = path.join(dir, 'inventory.yaml');
  writeFileSync(inventory, stringify({ all: { children: { ...children, ...rackGroups } } }));
  mkdirSync(path.join(dir, 'group_vars'));
  mkdirSync(path.join(dir, 'host_vars'));
  writeFileSync(
    path.join(dir, 'group_vars', 'all.yaml'),
    stringify({
      ansible_connection: 'local',
      domain: 'lab.example',
      api_scheme: 'https',
      api_port: 6443,
      components: ['k3s', 'containerd', 'flannel'],
    }),
  );
  writeFileSync(path.join(dir, 'group_vars', 'dc_a.yaml'), stringify({ datacenter: 'dc-a' }));
  writeFileSync(path.join(dir, 'group_vars', 'dc_b.yaml'), stringify({ datacenter: 'dc-b' }));
  for (let r = 0; r < racks; r++)
    writeFileSync(
      path.join(dir, 'group_vars', `${rackName(r)}.yaml`),
      stringify({ rack: rackName(r), uplink: `sw-${r + 1}` }),
    );
  // Every tenth host has its own vars (a role, a port of its own).
  for (let i = 0; i < hosts; i += 10)
    writeFileSync(path.join(dir, 'host_vars', `${hostName(i)}.yaml`), stringify({ role: 'server', api_port: 7443 }));
  const tasks = [
    {
      name: 'endpoint',
      set_fact: { endpoint: '{{ api_scheme }}://{{ inventory_hostname }}.{{ domain }}:{{ api_port }}' },
    },
    {
      name: 'hello',
      command: 'echo {{ inventory_hostname }} {{ rack }} {{ uplink }}',
      register: 'hello',
      changed_when: false,
    },
    { name: 'say', debug: { msg: '{{ hello.stdout }} in {{ datacenter }} via {{ endpoint }}' } },
    {
      name: 'check',
      assert: { that: ['(eq hello.rc 0)', '(gte api_port 1)', '(in datacenter (list "dc-a" "dc-b"))'] },
    },
    { name: 'role', set_fact: { role_label: "{{ default role 'agent' }}", first_component: '{{ first components }}' } },
    {
      name: 'servers only',
      command: 'echo {{ role_label }} {{ first_component }}',
      when: '(eq role_label "server")',
      register: 'server_echo',
    },
    { name: 'quiet', command: '/bin/true', changed_when: false },
    { name: 'upper', debug: { msg: "{{ upper inventory_hostname }} {{ join components ',' }}" } },
    { name: 'register and test', command: 'echo {{ datacenter }}', register: 'dc', failed_when: '(ne dc.rc 0)' },
    {
      name: 'summary',
      debug: {
        msg: "{{ inventory_hostname }}: {{ dc.stdout }} {{ default server_echo.stdout 'skipped' }} {{ length group_names }} groups",
      },
    },
  ];
  if (tasks.length !== SCALE_TASKS) throw new Error('the scale playbook must have SCALE_TASKS tasks');
  const playbook = path.join(dir, 'scale.yaml');
  writeFileSync(playbook, stringify([{ name: 'scale', hosts: 'all', gather_facts: false, tasks }]));
  return { dir, inventory, playbook, hosts, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
