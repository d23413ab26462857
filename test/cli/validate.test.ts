// `herdbook validate` as a user runs it: the summary on success, warnings on stderr with exit
// 0, every error with exit 4 and nothing run.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from './fixture.js';
import { expectNoCrash, herdbook } from './run-cli.js';

const dir = project();

describe('herdbook validate', () => {
  it('checks a playbook, its role and include, and the inventory: exit 0 and a summary', () => {
    const r = herdbook(['validate', 'site.yaml', '-i', 'hosts.ini'], dir);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ok: 1 playbook, 2 plays, 5 tasks in 3 files, inventory with 7 hosts\n');
    expect(r.code).toBe(0);
  });

  it('without -i, warns about variables it cannot find, and still exits 0', () => {
    const r = herdbook(['validate', 'site.yaml'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('ok: 1 playbook, 2 plays, 5 tasks in 3 files (1 warning)\n');
    expect(r.stderr).toBe(
      [
        "site.yaml:8:30: warning: variable 'k3s_channel' is not defined in the playbook (pass -i to check it against your inventory)",
        ' 8 |       command: upgrade.sh {{ k3s_channel }}',
        '   |                              ^',
        '  = set it in vars, group_vars, host_vars or with -e k3s_channel=...',
        '',
      ].join('\n'),
    );
  });

  it('takes -e values as defined variables', () => {
    const r = herdbook(['validate', 'site.yaml', '-e', 'k3s_channel=latest'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('checks several playbooks in one run', () => {
    writeFileSync(path.join(dir, 'other.yaml'), '- hosts: all\n  tasks:\n    - command: uptime\n');
    const r = herdbook(['validate', 'site.yaml', 'other.yaml', '-i', 'hosts.ini'], dir);
    expect(r.stdout).toBe('ok: 2 playbooks, 3 plays, 6 tasks in 4 files, inventory with 7 hosts\n');
    expect(r.code).toBe(0);
  });

  it('reports every error of every file with exit 4, and says nothing was run', () => {
    writeFileSync(
      path.join(dir, 'bad.yaml'),
      '- hosts: all\n  tasks:\n    - comand: uptime\n    - include_tasks: bad-tasks.yaml\n',
    );
    writeFileSync(path.join(dir, 'bad-tasks.yaml'), '- debug: { msg: "{{ x | upper }}" }\n');
    const r = herdbook(['validate', 'bad.yaml', 'nope.yaml'], dir);
    expectNoCrash(r);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("bad.yaml:3:7: error: unknown key 'comand' in task: not a task keyword nor a module");
    expect(r.stderr).toContain('bad-tasks.yaml:1:18: error: {{ x | upper }} uses a Jinja filter');
    expect(r.stderr).toContain('error: playbook not found: nope.yaml');
    expect(r.stderr.trimEnd().endsWith('3 errors; nothing was run.')).toBe(true);
  });

  it('refuses an inventory it cannot read with exit 4', () => {
    const r = herdbook(['validate', 'site.yaml', '-i', 'missing.ini'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain('error: inventory not found: missing.ini');
  });
});
