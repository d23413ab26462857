// Checks beyond the schemas: variables certainly undefined (a warning without -i, an error
// with it), names that are defined by the playbook itself, notify targets, templates.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { tempTree } from '../../helpers/tmp.js';

const registry = createSchemaRegistry();

function check(
  playbook: string,
  opts: { inventory?: string; extra?: Record<string, unknown>; files?: Record<string, string> } = {},
) {
  const dir = tempTree({
    'playbook.yaml': playbook,
    ...(opts.inventory ? { 'hosts.ini': opts.inventory } : {}),
    ...(opts.files ?? {}),
  });
  const v = validatePlaybooks([path.join(dir, 'playbook.yaml')], {
    registry,
    inventory: opts.inventory ? [path.join(dir, 'hosts.ini')] : undefined,
    extraVars: opts.extra,
  });
  return v.diagnostics.map((d) => ({ severity: d.severity, line: d.pos?.line, message: d.message, hint: d.hint }));
}

describe('undefined variables', () => {
  const playbook = '- hosts: all\n  tasks:\n    - command: echo {{ k3s_version }} {{ inventory_hostname }}\n';

  it('is a warning without an inventory (it may be defined there), naming the variable and the line', () => {
    expect(check(playbook)).toEqual([
      {
        severity: 'warning',
        line: 3,
        message: "variable 'k3s_version' is not defined in the playbook (pass -i to check it against your inventory)",
        hint: 'set it in vars, group_vars, host_vars or with -e k3s_version=...',
      },
    ]);
  });

  it('is an error with an inventory that does not define it, with a did-you-mean', () => {
    expect(check(playbook, { inventory: '[k3s]\nnode-1 k3s_verison=v1.32.5+k3s1\n' })).toEqual([
      {
        severity: 'error',
        line: 3,
        message:
          "variable 'k3s_version' is not defined anywhere (inventory, vars, vars_files, roles, register, set_fact or -e)",
        hint: "did you mean 'k3s_verison'?",
      },
    ]);
  });

  it('is fine when the inventory, group_vars or -e define it', () => {
    expect(check(playbook, { inventory: '[k3s]\nnode-1 k3s_version=v1\n' })).toEqual([]);
    expect(
      check(playbook, { inventory: '[k3s]\nnode-1\n', files: { 'group_vars/k3s.yaml': 'k3s_version: v1\n' } }),
    ).toEqual([]);
    expect(check(playbook, { inventory: '[k3s]\nnode-1\n', extra: { k3s_version: 'v1' } })).toEqual([]);
  });

  it('knows the names the playbook defines: vars, vars_files, register, set_fact, loop variables, role defaults', () => {
    const pb = [
      '- hosts: all',
      '  vars: { a: 1 }',
      '  vars_files: [more.yaml]',
      '  roles: [r]',
      '  tasks:',
      '    - command: echo {{ a }} {{ b }} {{ from_role }}',
      '      register: out',
      '    - set_fact: { fact: "{{ out.stdout }}" }',
      '    - debug: { msg: "{{ thing }} {{ i }} {{ fact }}" }',
      '      loop: [1, 2]',
      '      loop_control: { loop_var: thing, index_var: i }',
      '    - debug: { msg: "{{ item }}" }',
      '      with_items: [1]',
      '    - debug: { var: out.rc }',
      '    - debug: { msg: "{{ default maybe 1 }} {{#if (defined other)}}x{{/if}}" }',
      '    - assert: { that: [(eq a 1), "(gt (length out.stdout_lines) 0)"] }',
      '',
    ].join('\n');
    expect(
      check(pb, {
        inventory: '[all]\nh\n',
        files: {
          'more.yaml': 'b: 2\n',
          'roles/r/defaults/main.yaml': 'from_role: x\n',
          'roles/r/tasks/main.yaml': '- debug: { msg: hi }\n',
        },
      }),
    ).toEqual([]);
  });

  it('checks conditions too, and points at the line of each', () => {
    const pb =
      '- hosts: all\n  tasks:\n    - command: uptime\n      when: (eq node_role "server")\n      changed_when: false\n      failed_when: (gt rc_max 3)\n';
    expect(check(pb, { inventory: '[all]\nh\n' }).map((d) => [d.line, d.message.split(' is ')[0]])).toEqual([
      [4, "variable 'node_role'"],
      [6, "variable 'rc_max'"],
    ]);
  });
});

describe('notify and handlers', () => {
  it('accepts a handler name or a listen topic, and refuses others with the list of handlers', () => {
    const pb = [
      '- hosts: all',
      '  tasks:',
      '    - command: a',
      '      notify: restart k3s',
      '    - command: b',
      '      notify: [k3s changed, "restart {{ svc }}"]',
      '    - command: c',
      '      notify: restart k3ss',
      '  handlers:',
      '    - name: restart k3s',
      '      command: systemctl restart k3s',
      '    - name: reload',
      '      command: systemctl daemon-reload',
      '      listen: k3s changed',
      '',
    ].join('\n');
    expect(check(pb).filter((d) => !d.message.startsWith('variable'))).toEqual([
      {
        severity: 'error',
        line: 8,
        message: "notify names handler 'restart k3ss', which this play does not define",
        hint: "did you mean 'restart k3s'?",
      },
    ]);
  });
});

describe('templates', () => {
  it('reports Jinja with the Handlebars spelling, in strings and in conditions', () => {
    const pb =
      '- hosts: all\n  vars: { a: 1 }\n  tasks:\n    - debug: { msg: "{{ a | default(2) }}" }\n    - command: ls\n      when: a is defined\n';
    expect(check(pb)).toEqual([
      {
        severity: 'error',
        line: 4,
        message: '{{ a | default(2) }} uses a Jinja filter (`x | f`); herdbook templates are Handlebars',
        hint: 'write {{default a 2}}',
      },
      {
        severity: 'error',
        line: 6,
        message: 'a is defined uses a Jinja test (`x is defined`); herdbook templates are Handlebars',
        hint: 'write {{defined a}}',
      },
    ]);
  });

  it('reports a template that does not parse, in words', () => {
    const pb =
      '- hosts: all\n  tasks:\n    - debug: { msg: "{{#each nodes}}{{this}}" }\n    - debug: { msg: "{{ (eq a b }}" }\n';
    expect(check(pb).map((d) => d.message)).toEqual([
      '{{#each}} is never closed: add {{/each}}',
      "a '(' is never closed in {{(eq a b}}",
    ]);
  });
});
