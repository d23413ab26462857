// Schema errors in plain words: one message per value, the schema's own wording, no ajv
// jargon, a did-you-mean for misspelt keys and values, nothing about values that are templates.
import { describe, expect, it } from 'vitest';
import { parseYamlText } from '../../../engine/load/yaml.js';
import { documentChecker } from '../../../engine/validate/index.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { suggestKey, suggestKeys } from '../../../engine/validate/suggest-key.js';

const check = documentChecker(createSchemaRegistry());
const messages = (yaml: string) => {
  const doc = parseYamlText('p.yaml', yaml).value;
  return check('playbook', doc, 'p.yaml').map(
    (d) => `${d.pos?.line}:${d.pos?.col} ${d.message}${d.hint ? ` (${d.hint})` : ''}`,
  );
};
const play = (body: string) => `- hosts: all\n${body}`;

describe('schema errors in words', () => {
  const table: [string, string, string[]][] = [
    [
      'serial of the wrong type',
      play('  serial: true\n'),
      ['2:11 \'serial\' must be a whole number, a percentage like "30%", or a list of them, got true'],
    ],
    [
      'serial with a wrong item',
      play('  serial: [1, "lots"]\n'),
      [
        '2:15 item 2 of \'serial\' must be a whole number of at least 1 or a percentage like "30%", got the string "lots"',
      ],
    ],
    [
      'an enum, with a did-you-mean',
      play('  order: sortd\n'),
      [
        "2:10 'order' must be one of: inventory, reverse_inventory, sorted, reverse_sorted, shuffle; got the string \"sortd\" (did you mean 'sorted'?)",
      ],
    ],
    [
      'a flag',
      play('  gather_facts: maybe\n'),
      ['2:17 \'gather_facts\' must be true or false (or a template), got the string "maybe"'],
    ],
    [
      'a count',
      play('  tasks:\n    - command: ls\n      retries: few\n'),
      ['4:16 \'retries\' must be a whole number (or a template), got the string "few"'],
    ],
    [
      'seconds',
      play('  tasks:\n    - command: ls\n      delay: soon\n'),
      ['4:14 \'delay\' must be a number of seconds (or a template), got the string "soon"'],
    ],
    [
      'a register name',
      play('  tasks:\n    - command: ls\n      register: my-result\n'),
      ['4:17 \'register\' must be a variable name (letters, digits and _), got the string "my-result"'],
    ],
    [
      'a module argument of the wrong type',
      play('  tasks:\n    - command: { cmd: ls, creates: [a] }\n'),
      ["3:36 argument 'creates' of module 'command' must be a string, got a list"],
    ],
    [
      'an unknown module argument',
      play('  tasks:\n    - command: { cmd: ls, chdri: /tmp }\n'),
      ["3:27 unknown argument 'chdri' for module 'command' (did you mean 'chdir'?)"],
    ],
    [
      'an unknown play key with two near candidates',
      play('  taks: []\n'),
      ["2:3 unknown key 'taks' in play (did you mean 'tasks'?)"],
    ],
    [
      'hosts missing',
      '- name: x\n  tasks: []\n',
      ["1:3 play needs 'hosts' (add hosts: with a group, a host or a pattern (all, k3s_servers, web:&arm))"],
    ],
    ['a list where a mapping goes', play('  vars: [a, b]\n'), ["2:9 'vars' must be a mapping or empty, got a list"]],
    [
      "none of the arguments a module needs one of (Ansible's required_one_of)",
      play('  tasks:\n    - timezone: {}\n'),
      ["3:17 module 'timezone' needs one of: 'name', 'hwclock', 'rtc'"],
    ],
    [
      "two arguments Ansible's mutually_exclusive forbids together",
      play('  tasks:\n    - pacman: { name: foo, upgrade: false }\n'),
      ["3:15 module 'pacman' takes 'name' or 'upgrade', not both (Ansible: mutually exclusive)"],
    ],
  ];

  it.each(table)('%s', (_label, yaml, expected) => {
    expect(messages(yaml)).toEqual(expected);
  });

  it('says nothing about values that are templates: they are checked after rendering, at run time', () => {
    expect(
      messages(
        play(
          '  serial: "{{ batch }}"\n  gather_facts: "{{ gf }}"\n  tasks:\n    - command: ls\n      retries: "{{ n }}"\n      become: "{{ b }}"\n',
        ),
      ),
    ).toEqual([]);
  });

  it('reports every problem of a document, not only the first', () => {
    expect(
      messages(play('  serial: true\n  order: x\n  tasks:\n    - comand: ls\n    - command: ls\n      whne: x\n')),
    ).toHaveLength(4);
  });
});

describe('did-you-mean', () => {
  it('prefers the candidate that holds every letter typed when two are as close', () => {
    expect(suggestKeys('taks', ['tags', 'tasks'])).toEqual(['tasks']);
    expect(suggestKeys('hsots', ['hosts', 'tasks'])).toEqual(['hosts']);
  });

  it('offers both when nothing tells them apart, and nothing when nothing is close', () => {
    expect(suggestKeys('bat', ['cat', 'hat'])).toEqual(['cat', 'hat']);
    expect(suggestKey('whne', ['when', 'name'])).toBe("did you mean 'when'?");
    expect(suggestKey('completely_different', ['when', 'name'])).toBeUndefined();
  });
});
