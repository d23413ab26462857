// Modules written by their collection names, as real k3s repositories write them: every module
// herdbook implements under Ansible 2.14's names, in tasks, handlers, blocks, roles and included
// files; a collection name herdbook does not implement is an error that names it.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moduleNames } from '../../../engine/load/fqcn.js';
import type { TaskNode } from '../../../engine/load/model.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { tempTree } from '../../helpers/tmp.js';

const registry = createSchemaRegistry();
const load = (dir: string) => validatePlaybooks([path.join(dir, 'playbook.yaml')], { registry });
const errors = (v: ReturnType<typeof load>) => v.diagnostics.filter((d) => d.severity === 'error');
const modulesOf = (nodes: TaskNode[]): string[] =>
  nodes.flatMap((n) =>
    n.kind === 'task' ? [n.module] : n.kind === 'block' ? [...modulesOf(n.block), ...modulesOf(n.rescue ?? [])] : [],
  );

describe('collection names', () => {
  const names = moduleNames(registry.modules);

  it('gives every Ansible module herdbook implements its 2.14 name, and herdbook’s own modules none', () => {
    expect(names.canonical.get('copy')).toBe('ansible.builtin.copy');
    expect(names.canonical.get('systemd')).toBe('ansible.builtin.systemd');
    expect(names.canonical.get('lineinfile')).toBe('ansible.builtin.lineinfile');
    for (const own of ['drain', 'taint', 'k8s_node', 'k3s_version', 'etcd_snapshot', 'pct_exec'])
      expect(names.canonical.has(own)).toBe(false);
    expect(names.canonical.get('get_url')).toBe('ansible.builtin.get_url');
    expect(names.canonical.get('replace')).toBe('ansible.builtin.replace');
    expect(names.canonical.get('sysctl')).toBe('ansible.posix.sysctl');
    // Ansible 2.14's ansible_builtin_runtime.yml redirects the modules that left core.
    expect(names.byFqcn.get('ansible.builtin.sysctl')).toBe('sysctl');
    expect(names.byFqcn.get('ansible.builtin.systemd_service')).toBe('systemd');
    expect(names.byFqcn.get('ansible.legacy.command')).toBe('command');
  });

  it('loads every accepted name of every module as that module', () => {
    const fqcns = [...names.byFqcn].filter(([, m]) => registry.modules.has(m));
    // A free-form module gets a string; the others an empty mapping, which some schemas refuse.
    const lines = fqcns.map(([fqcn]) => `    - ${fqcn}: {}`);
    const dir = tempTree({ 'playbook.yaml': ['- hosts: all', '  tasks:', ...lines, ''].join('\n') });
    const v = load(dir);
    const got = modulesOf(v.playbooks[0].plays[0].tasks);
    expect(got).toEqual(fqcns.map(([, m]) => m));
    // Argument errors (a module's required arguments) are fine here; an unknown key is not.
    expect(errors(v).filter((d) => /unknown key|not one herdbook implements/.test(d.message))).toEqual([]);
  });

  it('reads collection names in handlers, blocks, rescue, roles and included files', () => {
    const dir = tempTree({
      'playbook.yaml': [
        '- hosts: all',
        '  roles: [base]',
        '  tasks:',
        '    - block:',
        '        - ansible.builtin.copy: { content: x, dest: /tmp/x }',
        '      rescue:',
        '        - ansible.legacy.debug: { msg: r }',
        '    - ansible.builtin.import_tasks: more.yaml',
        '  handlers:',
        '    - name: restart',
        '      ansible.builtin.systemd_service: { name: k3s, state: restarted }',
        '',
      ].join('\n'),
      'more.yaml': '- ansible.builtin.lineinfile: { path: /tmp/x, line: a }\n',
      'roles/base/tasks/main.yaml': '- ansible.builtin.stat: { path: /etc/hosts }\n',
      'roles/base/handlers/main.yaml': '- name: again\n  ansible.builtin.service: { name: k3s, state: restarted }\n',
    });
    const v = load(dir);
    expect(errors(v)).toEqual([]);
    const play = v.playbooks[0].plays[0];
    expect(modulesOf(play.tasks)).toEqual(['stat', 'copy', 'debug', 'lineinfile']);
    expect(play.handlers.map((h) => h.module).sort()).toEqual(['service', 'systemd']);
  });
});

describe('a collection name herdbook does not implement', () => {
  const dir = tempTree({
    'playbook.yaml': [
      '- hosts: all',
      '  tasks:',
      '    - community.general.nmcli: { conn_name: eth0 }',
      '    - ansible.builtin.drain: {}',
      '    - ansible.posix.copy: { content: x, dest: /tmp/x }',
      '    - ansible.builtin.cpoy: { content: x, dest: /tmp/x }',
      '    - community.general.sysctl: { name: vm.swappiness, value: 1 }',
      '    - name: in a handler',
      '      kubernetes.core.k8s: { state: present }',
      '',
    ].join('\n'),
  });
  const v = load(dir);
  const file = path.join(dir, 'playbook.yaml');
  const byLine = new Map(errors(v).map((d) => [d.pos?.line, d]));

  it('is an error naming it at its line and column, before anything runs', () => {
    expect(byLine.get(3)).toMatchObject({
      message: "module 'community.general.nmcli' is not one herdbook implements",
      pos: { file, line: 3, col: 7 },
    });
    expect(byLine.get(9)?.message).toBe("module 'kubernetes.core.k8s' is not one herdbook implements");
    expect(byLine.get(9)?.hint).toBe('herdbook implements no module of kubernetes.core');
  });

  it('says what to write: the right collection, a short name, or a near name', () => {
    expect(byLine.get(4)?.hint).toBe("drain is herdbook's own module, with no collection name: write 'drain'");
    expect(byLine.get(5)?.hint).toBe("herdbook's copy is ansible.builtin.copy: write 'ansible.builtin.copy' or 'copy'");
    expect(byLine.get(6)?.hint).toBe("did you mean 'ansible.builtin.copy'?");
    expect(byLine.get(7)?.hint).toBe(
      "herdbook's sysctl is ansible.posix.sysctl: write 'ansible.posix.sysctl' or 'sysctl'",
    );
  });
});
