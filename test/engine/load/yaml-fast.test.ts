// The fast YAML path (js-yaml) must give exactly what the careful path (the `yaml` library)
// gives: the same values, the same positions for every key, value and item, and it must step
// aside (undefined) rather than accept a document the careful path refuses.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { infoOf } from '../../../engine/load/positions.js';
import { fastYaml } from '../../../engine/load/yaml-fast.js';
import { Sealed } from '../../../engine/vault/sealed.js';
import { carefulParse, parseYamlText } from '../../../engine/load/yaml.js';
import { mangle, seededRandom } from '../../helpers/mangle.js';

type Diff = string[];

function compare(a: unknown, b: unknown, path: string, out: Diff): void {
  if (Object.is(a, b)) return;
  if (a instanceof Date && b instanceof Date && a.getTime() === b.getTime()) return;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    out.push(`${path}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
    return;
  }
  const ia = infoOf(a);
  const ib = infoOf(b);
  const at = (p?: { line: number; col: number }) => (p ? `${p.line}:${p.col}` : '-');
  if (at(ia?.pos) !== at(ib?.pos)) out.push(`${path}: at ${at(ia?.pos)} vs ${at(ib?.pos)}`);
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return void out.push(`${path}: ${a.length} items vs ${b.length}`);
    a.forEach((x, i) => {
      if (at(ia?.items?.[i]) !== at(ib?.items?.[i]))
        out.push(`${path}[${i}]: item at ${at(ia?.items?.[i])} vs ${at(ib?.items?.[i])}`);
      compare(x, b[i], `${path}[${i}]`, out);
    });
    return;
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.join('\0') !== kb.join('\0')) return void out.push(`${path}: keys ${ka.join(',')} vs ${kb.join(',')}`);
  for (const k of ka) {
    if (at(ia?.keys?.[k]) !== at(ib?.keys?.[k]))
      out.push(`${path}.${k}: key at ${at(ia?.keys?.[k])} vs ${at(ib?.keys?.[k])}`);
    if (at(ia?.values?.[k]) !== at(ib?.values?.[k]))
      out.push(`${path}.${k}: value at ${at(ia?.values?.[k])} vs ${at(ib?.values?.[k])}`);
    compare((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`, out);
  }
}

/** Differences between the two paths for one text ([] when they agree). */
function differences(text: string): Diff {
  const fast = parseYamlText('f.yaml', text);
  const careful = carefulParse('f.yaml', text);
  const out: Diff = [];
  if (fast.diagnostics.length !== careful.diagnostics.length)
    out.push(`diagnostics: ${fast.diagnostics.length} vs ${careful.diagnostics.length}`);
  compare(fast.value, careful.value, '$', out);
  return out;
}

const SNIPPETS = [
  'a: 1',
  'a: 0777',
  'a: 0o17',
  'a: 0x1F',
  'a: 0b101',
  'a: 1_000',
  'a: 1:20',
  'a: -1:20:30',
  'a: 1:20.5',
  'a: .5',
  'a: 1.',
  'a: 1e3',
  'a: .inf',
  'a: -.Inf',
  'a: .NaN',
  'a: 09',
  'a: yes',
  'a: No',
  'a: ON',
  'a: off',
  'a: y',
  'a: n',
  'a: true',
  'a: False',
  'a: ~',
  'a: null',
  'a:',
  'a: ""',
  "a: ''",
  'a: 2024-01-01',
  'a: v1.32.5+k3s1',
  'a: 192.168.1.1',
  'yes: 1',
  '1: a',
  'true: x',
  'null: a',
  '~: b',
  '"": c',
  '? complex\n: v',
  'a: |\n  line1\n  line2\n',
  'a: >\n  folded\n  text\n\n  para\n',
  'a: |-\n  x\n',
  'a: >2\n   indented\n',
  'a: "multi\n  line"',
  "a: 'it''s'",
  'a: plain\n  continued',
  'a: "esc \\t \\u00e9"',
  '- a\n- b\n-\n- c',
  '- [a, b]\n- {x: 1, y: [2, 3]}',
  'a: {b: , c: d}',
  'a: {b, c}',
  'a: [b: c, d]',
  'a:\n- x\n- y',
  'a: # comment\n  b: 1',
  '# only a comment',
  '',
  '---\na: 1\n...',
  'a: &x 1\nb: *x',
  'a: &x {p: 1}\nb:\n  <<: *x\n  q: 2',
  'a: !!str 5',
  'a: !vault |\n  x',
  'a: echo hi && ls *.txt',
  'a: "{{ x }}"',
  'a: {{ x }}',
  'a: b: c',
  'k: v\nk: w',
  '- - a\n  - b\n- c',
  '- { role: r1, port: 80 }',
  '__proto__: 1',
  '<<: {a: 1}',
  'a: [1, 2]#x',
  '\ufeffa: 1',
  'a: 1\r\nb: 2\r\n',
  'a:   \nb: 1',
  'a:  # c\nb: 1',
  'a: !!seq [1]',
  '[a, b]: c',
  'a:\n\tb: 1',
  'a: "unclosed\nb: 1',
  'x:\n  - r1\n  - { role: r1 }',
];

describe('fast YAML path', () => {
  it.each(SNIPPETS)('%j: same values, positions and verdict as the careful path', (text) => {
    expect(differences(text)).toEqual([]);
  });

  it('reads the usual playbooks itself (it is the fast path, not a no-op)', () => {
    const pos = (o: number) => ({ file: 'f', line: 1, col: o });
    const playbook =
      '- hosts: all\n  vars:\n    a: 1\n  tasks:\n    - name: x\n      command: echo {{ a }}\n      when: (eq a 1)\n    - { debug: { msg: hi } }\n';
    expect(fastYaml(playbook, pos, 1000)?.value).toEqual([
      {
        hosts: 'all',
        vars: { a: 1 },
        tasks: [{ name: 'x', command: 'echo {{ a }}', when: '(eq a 1)' }, { debug: { msg: 'hi' } }],
      },
    ]);
    // Aliases, merge keys and tags are the careful path's.
    expect(fastYaml('a: &x {p: 1}\nb: *x\n', pos, 1000)).toBeUndefined();
    expect(fastYaml('a: !!binary |\n  eA==\n', pos, 1000)).toBeUndefined();
    // But for !vault, read here as a Sealed value where the careful path places it (vault-load.test.ts).
    const vaulted = fastYaml('a: !vault |\n  x\n', pos, 1000)?.value as { a: Sealed };
    expect(vaulted.a).toEqual(new Sealed('x\n', pos(10)));
  });

  it('agrees with the careful path on thousands of mangled playbooks', () => {
    const base =
      readFileSync(new URL('../../cases/invalid/34-many-errors-many-files/tasks/one.yaml', import.meta.url), 'utf8') +
      '- hosts: all\n  serial: [1, "50%"]\n  vars:\n    a: 1\n    b: [x, y]\n  roles:\n    - { role: r1, port: 80 }\n  tasks:\n    - block:\n        - command: echo {{ inventory_hostname }}\n          register: out\n          when: (eq a 1)\n      rescue:\n        - fail: {msg: x}\n    - shell: |\n        set -e\n        ls\n      args: {chdir: /tmp}\n';
    const tokens = [
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
      'null',
      '~',
      '5',
      'yes',
      '\n',
      '  ',
      '#',
      ' #',
      '!!str ',
      '? ',
      '|',
      '>',
      ',',
      '0777',
      '1:2',
      '2024-01-01',
      'key:',
      '\n- ',
      '\n  x: ',
      '""',
      '|-',
    ];
    const rnd = seededRandom(11);
    let fastTaken = 0;
    for (let n = 0; n < 2000; n++) {
      const t = mangle(base, rnd, { tokens, maxEdits: 3, maxCut: 6 });
      if (fastYaml(t, (o) => ({ file: 'f', line: 1, col: o }), 500_000)) fastTaken++;
      expect(differences(t), JSON.stringify(t)).toEqual([]);
    }
    // The fast path must actually be taken for many of them, or this compares the careful path with itself.
    expect(fastTaken).toBeGreaterThan(400);
  });
});
