// Bad input never crashes: thousands of mangled playbooks, task files and inventories go
// through the validate stage and the diagnostics printer; every one gives diagnostics (or
// none), never an exception.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadInventory } from '../../../engine/inventory/load.js';
import { formatDiagnostics } from '../../../engine/report/diagnostics.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { mangle as mangleText, seededRandom } from '../../helpers/mangle.js';
import { tempTree } from '../../helpers/tmp.js';

const PLAYBOOK = `- hosts: k3s
  serial: [1, "50%"]
  order: sorted
  vars: { a: 1, b: [x, y] }
  vars_files: [vars.yaml]
  roles:
    - r1
    - { role: r1, port: 80 }
  tasks:
    - name: block
      block:
        - command: echo {{ inventory_hostname }}
          register: out
          when: (eq a 1)
        - shell: ls
          args: { chdir: /tmp }
          notify: h
      rescue:
        - fail: { msg: x }
      always:
        - debug: { var: out }
    - include_tasks: inc.yaml
    - import_tasks: inc.yaml
    - set_fact: { c: "{{ default b 'z' }}" }
      loop: "{{ b }}"
      loop_control: { loop_var: it }
    - assert: { that: [(eq c 1)] }
  handlers:
    - name: h
      command: echo h
- import_playbook: other.yaml
`;
const INVENTORY =
  '[k3s_servers]\nsrv-[1:2] k3s_role=server\n\n[k3s_agents]\nagent-1 pct_id=201 node_name=a1\n\n[k3s:children]\nk3s_servers\nk3s_agents\n\n[k3s:vars]\nproxmox_host=pve\n';
const TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ':',
  '- ',
  '\t',
  '"',
  "'",
  '&a ',
  '*a',
  '<<: *a',
  '{{',
  '}}',
  '{%',
  'null',
  '5',
  'true',
  '\n',
  '  ',
  '#',
  '!!str ',
  '? ',
  '|',
  '>',
  ',',
  'hosts',
  'block:',
  'include_tasks: x',
  'import_tasks: inc.yaml',
  'import_playbook: playbook.yaml',
  'roles:',
  '- r1',
  'when:',
  'loop:',
  '(eq',
  ')',
  '=',
  '[x:children]',
  '[y:vars]',
  '\u0000',
  '\ufeff',
  'é',
];

const mangle = (text: string, rnd: (n: number) => number) =>
  mangleText(text, rnd, { tokens: TOKENS, maxEdits: 4, maxCut: 10 });

describe('bad input never crashes the validate stage', () => {
  it('survives 1,500 mangled playbooks, task files and inventories', () => {
    const dir = tempTree({
      'vars.yaml': 'v: 1\n',
      'other.yaml': '- hosts: all\n  tasks: []\n',
      'roles/r1/tasks/main.yaml': '- debug: { msg: "{{ port }}" }\n',
      'roles/r1/defaults/main.yaml': 'port: 1\n',
    });
    const registry = createSchemaRegistry();
    const rnd = seededRandom(2024);
    let withErrors = 0;
    for (let n = 0; n < 1500; n++) {
      writeFileSync(path.join(dir, 'playbook.yaml'), mangle(PLAYBOOK, rnd));
      writeFileSync(path.join(dir, 'inc.yaml'), mangle('- debug: { msg: inc }\n- command: ls\n  register: r\n', rnd));
      writeFileSync(path.join(dir, 'hosts.ini'), n % 3 ? INVENTORY : mangle(INVENTORY, rnd));
      let diagnostics;
      try {
        diagnostics = validatePlaybooks([path.join(dir, 'playbook.yaml')], {
          registry,
          inventory: [path.join(dir, 'hosts.ini')],
        }).diagnostics;
        formatDiagnostics(diagnostics);
      } catch (e) {
        throw new Error(`crashed on input ${n}: ${(e as Error).stack}`);
      }
      for (const d of diagnostics) expect(typeof d.message).toBe('string');
      if (diagnostics.some((d) => d.severity === 'error')) withErrors++;
    }
    // The mangling must actually produce broken input, or this proves nothing.
    expect(withErrors).toBeGreaterThan(700);
    // 1,500 validations are CPU-bound: seconds alone, over a minute beside three other busy workers.
  }, 240_000);

  it('survives mangled YAML inventories', () => {
    const dir = tempTree({});
    const yamlInventory =
      'all:\n  vars: { a: 1 }\n  children:\n    k3s:\n      hosts:\n        node-[1:3]:\n          pct_id: 201\n      children:\n        servers:\n          hosts: { node-1: }\n';
    const rnd = seededRandom(99);
    for (let n = 0; n < 500; n++) {
      writeFileSync(path.join(dir, 'inv.yaml'), mangle(yamlInventory, rnd));
      expect(() => loadInventory([path.join(dir, 'inv.yaml')])).not.toThrow();
    }
  });

  it('survives nesting far deeper than any playbook', () => {
    const dir = tempTree({
      'deep.yaml': '- hosts: all\n  vars:\n    x: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n',
      'deeper.yaml': '['.repeat(200_000),
    });
    const registry = createSchemaRegistry();
    for (const f of ['deep.yaml', 'deeper.yaml']) {
      const v = validatePlaybooks([path.join(dir, f)], { registry });
      expect(v.diagnostics.filter((d) => d.severity === 'error').length, f).toBeGreaterThan(0);
    }
  });
});
