// module_defaults are checked before anything runs: each entry names a module and fits its
// schema, and each task is checked with its defaults merged in (a required argument may come
// from them), every error at the file:line:col of what is wrong.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../engine/errors.js';
import { validatePlaybooks } from '../../../engine/validate/index.js';
import { tempTree } from '../../helpers/tmp.js';

function errors(dir: string, file = 'site.yaml'): string[] {
  const v = validatePlaybooks([path.join(dir, file)]);
  return v.diagnostics
    .filter((d: Diagnostic) => d.severity === 'error')
    .map(
      (d) =>
        `${path.basename(d.pos?.file ?? '?')}:${d.pos?.line}:${d.pos?.col}: ${d.message}${d.hint ? ` (${d.hint})` : ''}`,
    );
}

describe('module_defaults before the run', () => {
  it('refuses an entry that names no module, an action group, and arguments the module does not take', () => {
    const dir = tempTree({
      'site.yaml': [
        '- hosts: all',
        '  module_defaults:',
        '    group/k8s:',
        '      kubeconfig: x',
        '    debgu:',
        '      msg: x',
        '    ansible.builtin.copy:',
        '      mode: 644',
        '      bogus: 1',
        '  tasks:',
        '    - debug:',
        '',
      ].join('\n'),
    });
    expect(errors(dir)).toEqual([
      "site.yaml:3:5: module_defaults: 'group/k8s' is an action group; herdbook has no action groups (name each module instead (k3s_version:, drain:, ...); ansible-playbook also refuses a group it cannot resolve)",
      "site.yaml:5:5: module_defaults names 'debgu', which is not a module (did you mean 'debug'?)",
      "site.yaml:8:13: argument 'mode' of module 'copy' must be an octal mode ('0644') or a symbolic one ('u=rw,g=r,o='), got the number 644",
      "site.yaml:9:7: unknown argument 'bogus' for module 'copy' (expected one of: src, remote_src, content, dest, mode, owner, group, backup, force, follow, decrypt, validate)",
    ]);
  });

  it('lets a required argument come from the defaults of the play, a block or the task itself', () => {
    const dir = tempTree({
      'site.yaml': [
        '- hosts: all',
        '  module_defaults:',
        '    uri:',
        '      url: http://127.0.0.1:9/',
        '  tasks:',
        '    - uri:',
        '        method: GET',
        '    - block:',
        '        - copy:',
        '            content: x',
        '      module_defaults:',
        '        copy:',
        '          dest: /tmp/x',
        '    - file:',
        '        state: touch',
        '      module_defaults:',
        '        file: { path: /tmp/y }',
        '',
      ].join('\n'),
    });
    expect(errors(dir)).toEqual([]);
  });

  it('still refuses a task that misses a required argument, or whose defaults replace the one that had it', () => {
    const dir = tempTree({
      'site.yaml': [
        '- hosts: all',
        '  module_defaults:',
        '    copy:',
        '      dest: /tmp/x',
        '  tasks:',
        '    - uri:',
        '        method: GET',
        '    - block:',
        '        - copy:',
        '            content: x',
        '      module_defaults:',
        '        copy:',
        '          mode: "0600"',
        '',
      ].join('\n'),
    });
    expect(errors(dir)).toEqual([
      "site.yaml:7:9: module 'uri' needs 'url'",
      // The block's copy entry replaces the play's whole: dest is gone (as in Ansible).
      "site.yaml:10:13: module 'copy' needs 'dest'",
    ]);
  });

  it("points at the defaults' line when a defaulted value is wrong, and checks a role's tasks with the play's defaults", () => {
    const dir = tempTree({
      'site.yaml': [
        '- hosts: all',
        '  module_defaults:',
        '    uri:',
        '      url: http://127.0.0.1:9/',
        '  roles: [web]',
        '',
      ].join('\n'),
      'roles/web/tasks/main.yaml': [
        '- name: a url from the play',
        '  uri:',
        '    method: GET',
        '- name: a bad default of its own',
        '  wait_for:',
        '    port: 80',
        '  module_defaults:',
        '    wait_for:',
        '      timeout: soon',
        '',
      ].join('\n'),
    });
    expect(errors(dir)).toEqual([
      "main.yaml:9:16: argument 'timeout' of module 'wait_for' must be a number, got the string \"soon\"",
    ]);
  });

  it('leaves templated defaults to the run, and scans them for variables set nowhere', () => {
    const dir = tempTree({
      'site.yaml': [
        '- hosts: all',
        '  module_defaults:',
        '    wait_for:',
        '      timeout: "{{default wait 5}}"',
        '      port: "{{api_port}}"',
        '  tasks:',
        '    - wait_for:',
        '',
      ].join('\n'),
      'hosts.ini': 'h1\n',
    });
    const v = validatePlaybooks([path.join(dir, 'site.yaml')], { inventory: [path.join(dir, 'hosts.ini')] });
    const msgs = v.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.pos?.line}: ${d.message}`);
    expect(msgs).toEqual([
      "5: variable 'api_port' is not defined anywhere (inventory, vars, vars_files, roles, register, set_fact or -e)",
    ]);
  });
});
