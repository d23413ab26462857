// What play keywords are rendered with: -e over play vars over role vars over the inventory's
// `all` vars over role defaults over herdbook's group defaults; a group's or host's own vars
// never (a play's hosts are not known yet).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { inventoryLevel, renderPlayKeywords } from '../../../engine/inventory/play-level.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { tempTree } from '../../helpers/tmp.js';

function hostsOf(files: Record<string, string>, extraVars: Record<string, unknown> = {}): unknown[] {
  const dir = tempTree({ 'hosts.ini': '[master]\nm1\n[node]\nn1\n[k3s_cluster:children]\nmaster\nnode\n', ...files });
  const v = validatePlaybooks([path.join(dir, 'site.yaml')], { inventory: [path.join(dir, 'hosts.ini')], extraVars });
  expect(v.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const inv = v.inventory!;
  const level = inventoryLevel(inv, indexGroups(inv), v.playbookVarsFiles.get(path.join(dir, 'site.yaml')));
  return v.playbooks[0].plays.map((p) => renderPlayKeywords(p, extraVars, level).hosts);
}

const PLAY = (extra = '') => `- hosts: "{{k3s_server_group}}:{{k3s_agent_group}}"\n${extra}  tasks: []\n`;

describe('play keywords', () => {
  it("take herdbook's defaults from the groups the inventory has", () => {
    expect(hostsOf({ 'site.yaml': PLAY() })).toEqual(['master:node']);
  });

  it("take the inventory's all vars over the defaults, but not a group's own vars", () => {
    expect(
      hostsOf({
        'site.yaml': PLAY(),
        'group_vars/all.yaml': 'k3s_server_group: from_all\n',
        'group_vars/k3s_cluster.yaml': 'k3s_agent_group: from_a_group\n',
      }),
    ).toEqual(['from_all:node']);
  });

  it('take play vars over the inventory, and -e over everything', () => {
    const files = {
      'site.yaml': PLAY('  vars:\n    k3s_server_group: from_play\n    k3s_agent_group: from_play\n'),
      'group_vars/all.yaml': 'k3s_server_group: from_all\nk3s_agent_group: from_all\n',
    };
    expect(hostsOf(files)).toEqual(['from_play:from_play']);
    expect(hostsOf(files, { k3s_agent_group: 'from_e' })).toEqual(['from_play:from_e']);
  });

  it('read the magic groups, as Ansible renders hosts: "{{ groups[\'node\'][0] }}"', () => {
    expect(
      hostsOf({ 'site.yaml': '- hosts: "{{first groups.node}},{{join groups.k3s_cluster \':\'}}"\n  tasks: []\n' }),
    ).toEqual(['n1,m1:n1']);
  });
});
