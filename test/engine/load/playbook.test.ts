// The load stage on real files: what the model holds, where every node was written, and how
// imports, includes and roles are found.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BlockDef, IncludeDef, Play, TaskDef, TaskNode } from '../../../engine/load/model.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { tempTree } from '../../helpers/tmp.js';

const registry = createSchemaRegistry();
const load = (dir: string, file = 'playbook.yaml') => validatePlaybooks([path.join(dir, file)], { registry });
const errors = (v: ReturnType<typeof load>) => v.diagnostics.filter((d) => d.severity === 'error');
const task = (n: TaskNode | undefined) => {
  expect(n?.kind).toBe('task');
  return n as TaskDef;
};
const block = (n: TaskNode | undefined) => {
  expect(n?.kind).toBe('block');
  return n as BlockDef;
};

describe('positions', () => {
  const dir = tempTree({
    'playbook.yaml': [
      '# a comment first',
      '- name: first play',
      '  hosts: k3s_servers',
      '  serial: 1',
      '  tasks:',
      '    - name: show',
      '      debug:',
      '        msg: "hello {{ inventory_hostname }}"',
      '      when: (eq a 1)',
      '    - block:',
      '        - command: uptime',
      '      rescue:',
      '        - { fail: { msg: oops } }',
      '',
      '- hosts: all',
      '  tasks: [{ command: ls }]',
      '',
    ].join('\n'),
  });
  const v = load(dir);
  const [p1, p2] = v.playbooks[0].plays;
  const file = path.join(dir, 'playbook.yaml');

  it('loads without errors', () => expect(errors(v)).toEqual([]));

  it('knows where each play starts and where its keywords and values are', () => {
    expect(p1.pos).toEqual({ file, line: 2, col: 3 });
    expect(p1.fieldPos['key:hosts']).toEqual({ file, line: 3, col: 3 });
    expect(p1.fieldPos.hosts).toEqual({ file, line: 3, col: 10 });
    expect(p1.fieldPos.serial).toEqual({ file, line: 4, col: 11 });
    expect(p2.pos).toEqual({ file, line: 15, col: 3 });
  });

  it('knows where each task, its keys and its values are, in blocks and flow style too', () => {
    const show = task(p1.tasks[0]);
    expect(show.pos).toEqual({ file, line: 6, col: 7 });
    expect(show.fieldPos['key:debug']).toEqual({ file, line: 7, col: 7 });
    expect(show.fieldPos.when).toEqual({ file, line: 9, col: 13 });
    const b = block(p1.tasks[1]);
    expect(b.pos).toEqual({ file, line: 10, col: 7 });
    expect(task(b.block[0]).pos).toEqual({ file, line: 11, col: 11 });
    expect(task(b.rescue[0]).pos).toEqual({ file, line: 13, col: 11 });
    expect(task(b.rescue[0]).fieldPos.fail).toEqual({ file, line: 13, col: 19 });
    expect(task(p2.tasks[0]).pos).toEqual({ file, line: 16, col: 11 });
  });

  it('keeps raw values with templates unrendered', () => {
    expect(task(p1.tasks[0]).args).toEqual({ msg: 'hello {{ inventory_hostname }}' });
    expect(task(p1.tasks[0]).when).toBe('(eq a 1)');
    expect(p1.serial).toBe(1);
  });
});

describe('imports and includes', () => {
  const dir = tempTree({
    'site.yaml':
      '- import_playbook: plays/servers.yaml\n- hosts: agents\n  tasks:\n    - import_tasks: tasks/agent.yaml\n',
    'plays/servers.yaml':
      '- hosts: servers\n  tasks:\n    - import_tasks: ../tasks/server.yaml\n    - include_tasks: "tasks/{{ k3s_role }}.yaml"\n    - include_tasks: ../tasks/agent.yaml\n',
    'tasks/server.yaml': '- import_tasks: common.yaml\n- command: k3s server --version\n',
    'tasks/common.yaml': '- command: uptime\n',
    'tasks/agent.yaml': '- command: k3s agent --version\n',
  });
  const v = load(dir, 'site.yaml');
  const [servers, agents] = v.playbooks[0].plays;

  it('follows import_playbook relative to the importing file', () => {
    expect(errors(v)).toEqual([]);
    expect(v.playbooks[0].plays.map((p) => p.hosts)).toEqual(['servers', 'agents']);
    expect(servers.baseDir).toBe(path.join(dir, 'plays'));
  });

  it('imports task files relative to the including file, nested ones relative to theirs', () => {
    const imported = block(servers.tasks[0]);
    const nested = block(imported.block[0]);
    expect(task(nested.block[0]).args).toBe('uptime');
    expect(task(nested.block[0]).pos.file).toBe(path.join(dir, 'tasks/common.yaml'));
    expect(task(imported.block[1]).args).toBe('k3s server --version');
    expect(task(block(agents.tasks[0]).block[0]).pos).toEqual({
      file: path.join(dir, 'tasks/agent.yaml'),
      line: 1,
      col: 3,
    });
  });

  it('preloads include_tasks with a fixed name, and leaves a templated one for run time', () => {
    const templated = servers.tasks[1] as IncludeDef;
    expect(templated.kind).toBe('include');
    expect(templated.file).toBe('tasks/{{ k3s_role }}.yaml');
    expect(templated.preloaded).toBeUndefined();
    const fixed = servers.tasks[2] as IncludeDef;
    expect(fixed.preloaded?.map((n) => task(n).args)).toEqual(['k3s agent --version']);
  });

  it('lists every file it read', () => {
    expect(v.playbooks[0].files.map((f) => path.relative(dir, f)).sort()).toEqual([
      'plays/servers.yaml',
      'site.yaml',
      'tasks/agent.yaml',
      'tasks/common.yaml',
      'tasks/server.yaml',
    ]);
  });
});

describe('roles', () => {
  const dir = tempTree({
    'playbook.yaml': [
      '- hosts: all',
      '  vars: { from_play: 1 }',
      '  roles:',
      '    - k3s',
      '    - { role: k3s_agent, k3s_port: 6443, tags: [agent] }',
      '  tasks:',
      '    - include_role: { name: k3s, tasks_from: upgrade }',
      '',
    ].join('\n'),
    'roles/k3s/tasks/main.yaml': '- name: install k3s\n  command: install.sh\n  notify: restart k3s\n',
    'roles/k3s/tasks/upgrade.yml': '- name: upgrade k3s\n  command: upgrade.sh\n',
    'roles/k3s/handlers/main.yaml': '- name: restart k3s\n  command: systemctl restart k3s\n',
    'roles/k3s/defaults/main.yaml': 'k3s_channel: stable\nk3s_port: 6443\n',
    'roles/k3s/vars/main.yml': 'k3s_binary: /usr/local/bin/k3s\n',
    'roles/k3s_agent/tasks/main.yaml': '- name: join\n  command: join.sh {{ k3s_port }}\n',
  });
  const v = load(dir);
  const play: Play = v.playbooks[0].plays[0];

  it('loads without errors', () => expect(errors(v)).toEqual([]));

  it('turns roles into blocks that carry the role (for files/ and templates/)', () => {
    const k3s = block(play.tasks[0]);
    expect(k3s.name).toBe('role k3s');
    expect(k3s.role).toEqual({ name: 'k3s', dir: path.join(dir, 'roles/k3s') });
    expect(task(k3s.block[0]).name).toBe('install k3s');
    expect(task(k3s.block[0]).role?.name).toBe('k3s');
  });

  it("passes role parameters as the role block's vars, and its tags", () => {
    const agent = block(play.tasks[1]);
    expect(agent.vars).toEqual({ k3s_port: 6443 });
    expect(agent.tags).toEqual(['agent']);
  });

  it('adds role handlers to the play, defaults as the weakest vars, and role vars', () => {
    expect(play.handlers.map((h) => h.name)).toEqual(['restart k3s']);
    expect(play.roleDefaults).toEqual({ k3s_channel: 'stable', k3s_port: 6443 });
    expect(play.roleVars).toEqual({ k3s_binary: '/usr/local/bin/k3s' });
  });

  it('include_role with tasks_from loads that file of the role', () => {
    const inc = block(play.tasks[2]);
    expect(task(inc.block[0]).name).toBe('upgrade k3s');
  });
});

describe('Ansible spellings', () => {
  const dir = tempTree({
    'playbook.yaml': [
      '- hosts: all',
      '  tasks:',
      '    - ansible.builtin.command: uptime',
      '    - ansible.builtin.debug: msg="a b" verbosity=1',
      '    - debug: var=result',
      '      with_items: [[1, 2], 3]',
      '    - command: echo {{ item }}',
      '      loop: "{{ things }}"',
      '      loop_control: { loop_var: thing, index_var: i, label: "{{ thing }}" }',
      '    - command: ls',
      '      args: { chdir: /tmp }',
      '    - ansible.builtin.copy: src=files/k3s.conf dest=/etc/k3s.conf mode=0644 backup=yes',
      '',
    ].join('\n'),
  });
  const v = load(dir);
  const tasks = v.playbooks[0].plays[0].tasks.map(task);

  it('reads FQCN module names as ours, keeping their position', () => {
    expect(tasks[0].module).toBe('command');
    expect(tasks[0].fieldPos['key:command']).toEqual({ file: path.join(dir, 'playbook.yaml'), line: 3, col: 7 });
  });

  it('reads key=value arguments of modules that take a mapping', () => {
    expect(tasks[1].module).toBe('debug');
    // Typed as the module's schema says, like Ansible's argument specs.
    expect(tasks[1].args).toEqual({ msg: 'a b', verbosity: 1 });
    expect(tasks[2].args).toEqual({ var: 'result' });
  });

  it('reads with_items as a loop that flattens one level, and loop_control', () => {
    expect(tasks[2].loop).toEqual([[1, 2], 3]);
    expect(tasks[2].loopFlatten).toBe(true);
    expect(tasks[3].loopFlatten).toBe(false);
    expect(tasks[3].loopControl).toMatchObject({ loopVar: 'thing', indexVar: 'i', label: '{{ thing }}' });
  });

  it('reads ansible.builtin.copy with key=value arguments: flags typed, a mode stays text as Ansible keeps it', () => {
    expect(tasks[5].module).toBe('copy');
    expect(tasks[5].args).toEqual({ src: 'files/k3s.conf', dest: '/etc/k3s.conf', mode: '0644', backup: true });
  });

  it('merges args: into the module arguments, keeping a free-form string under _raw_params', () => {
    expect(tasks[4].args).toEqual({ chdir: '/tmp', _raw_params: 'ls' });
    expect(errors(v)).toEqual([]);
  });
});
