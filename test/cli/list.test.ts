// `herdbook list-hosts` (each play's hosts in batch order, as `run` will go through them) and
// `herdbook list-tasks` (every task with its tags and file:line).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { project } from './fixture.js';
import { expectNoCrash, herdbook } from './run-cli.js';

const dir = project();

describe('herdbook list-hosts', () => {
  it('shows each play with its hosts in batch order: serial, percentages, order', () => {
    const r = herdbook(['list-hosts', 'site.yaml', '-i', 'hosts.ini'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        'playbook: site.yaml',
        '',
        '  play #1 (servers): servers first  (2 hosts, 2 batches)',
        '    batch 1/2: srv-1',
        '    batch 2/2: srv-2',
        '',
        // reverse_sorted; [1, "50%"] of 5 hosts: 1, then int(2.5) = 2 repeating.
        '  play #2 (agents): agents  (5 hosts, 3 batches)',
        '    batch 1/3: agent-5',
        '    batch 2/3: agent-4 agent-3',
        '    batch 3/3: agent-2 agent-1',
        '',
      ].join('\n'),
    );
  });

  it('applies --limit, as a pattern or from a file', () => {
    const byPattern = herdbook(
      ['list-hosts', 'site.yaml', '-i', 'hosts.ini', '--limit', 'agents:!agent-5:!agent-1'],
      dir,
    );
    expect(byPattern.code).toBe(0);
    expect(byPattern.stdout).toContain('  play #1 (servers): servers first  (0 hosts, 0 batches)\n    (no hosts)\n');
    // "50%" is of the play's hosts after --limit (as in Ansible): int(1.5) = 1.
    expect(byPattern.stdout).toContain(
      '  play #2 (agents): agents  (3 hosts, 3 batches)\n    batch 1/3: agent-4\n    batch 2/3: agent-3\n    batch 3/3: agent-2\n',
    );
    const byFile = herdbook(['list-hosts', 'site.yaml', '-i', 'hosts.ini', '--limit', '@limit.txt'], dir);
    expect(byFile.stdout).toContain(
      '  play #2 (agents): agents  (2 hosts, 2 batches)\n    batch 1/2: agent-4\n    batch 2/2: agent-2\n',
    );
  });

  it('refuses a --limit that leaves no host of the inventory (exit 5), for list-hosts and run, before anything runs', () => {
    for (const cmd of ['list-hosts', 'run']) {
      const r = herdbook([cmd, 'site.yaml', '-i', 'hosts.ini', '--limit', 'agent-9,nowhere'], dir);
      expect(r.code).toBe(5);
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('--limit agent-9,nowhere: matches no host of the inventory, so nothing would run');
    }
    // One pattern that matches is enough, as in Ansible (the other only warns there).
    const some = herdbook(
      ['list-hosts', 'site.yaml', '-i', 'hosts.ini', '--limit', 'nowhere', '--limit', 'srv-1'],
      dir,
    );
    expect(some.code).toBe(0);
    expect(some.stdout).toContain('batch 1/1: srv-1');
  });

  it('renders templated hosts and serial with -e', () => {
    writeFileSync(
      path.join(dir, 'templated.yaml'),
      '- hosts: "{{ target }}"\n  serial: "{{ batch }}"\n  tasks:\n    - command: uptime\n',
    );
    const r = herdbook(
      ['list-hosts', 'templated.yaml', '-i', 'hosts.ini', '-e', 'target=servers', '-e', 'batch=2'],
      dir,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('  play #1 (servers): servers  (2 hosts, 1 batch)\n    batch 1/1: srv-1 srv-2\n');
  });

  it('needs an inventory (exit 5), and refuses invalid input before listing anything (exit 4)', () => {
    const noInventory = herdbook(['list-hosts', 'site.yaml'], dir);
    expect(noInventory.code).toBe(5);
    expect(noInventory.stderr).toContain('herdbook: list-hosts needs an inventory: -i inventory/lab.ini');
    writeFileSync(path.join(dir, 'broken.yaml'), '- hosts: all\n  serial: many\n  tasks: []\n');
    const broken = herdbook(['list-hosts', 'broken.yaml', '-i', 'hosts.ini'], dir);
    expectNoCrash(broken);
    expect(broken.code).toBe(4);
    expect(broken.stdout).toBe('');
  });
});

describe('herdbook list-tasks', () => {
  it('shows every task with inherited tags and file:line, blocks, roles and includes indented', () => {
    const r = herdbook(['list-tasks', 'site.yaml', '-i', 'hosts.ini'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(
      [
        'playbook: site.yaml',
        '',
        '  play #1 (servers): servers first\tTAGS: [servers]',
        '    tasks:',
        '      role k3s\tTAGS: [servers]\tsite.yaml:5',
        '        role task\tTAGS: [servers, version]\troles/k3s/tasks/main.yaml:1',
        '      upgrade\tTAGS: [servers, upgrade]\tsite.yaml:7',
        '      block\tTAGS: [servers, blk]\tsite.yaml:10',
        '        inner\tTAGS: [servers, blk]\tsite.yaml:11',
        '',
        '  play #2 (agents): agents\tTAGS: []',
        '    tasks:',
        '      include_tasks: more.yaml\tTAGS: []\tsite.yaml:19',
        '        from more\tTAGS: []\tmore.yaml:1',
        '    handlers:',
        '      restart\tTAGS: []\tsite.yaml:21',
        '',
      ].join('\n'),
    );
  });

  it('works without an inventory, and refuses invalid input with exit 4', () => {
    expect(herdbook(['list-tasks', 'site.yaml', '-e', 'k3s_channel=x'], dir).code).toBe(0);
    writeFileSync(path.join(dir, 'broken-tasks.yaml'), '- hosts: all\n  tasks:\n    - shell: ls\n      command: ls\n');
    const r = herdbook(['list-tasks', 'broken-tasks.yaml'], dir);
    expectNoCrash(r);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      "broken-tasks.yaml:4:7: error: a task runs one module, this one names 2: 'shell' and 'command'",
    );
  });
});
