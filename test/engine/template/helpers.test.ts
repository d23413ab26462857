import { describe, expect, it } from 'vitest';
import { createTemplater, Scope } from '../../../engine/template/index.js';

const t = createTemplater({ env: { HOME: '/root' }, now: () => new Date('2026-01-07T09:05:03Z') });
const vars = new Scope([
  {
    s: '  Hello World  ',
    list: [3, 1, 2, 1],
    nodes: [
      { name: 'a', ready: true },
      { name: 'b', ready: false },
    ],
    m: { x: 1, y: 2 },
    csv: 'a,b,c',
    json: '{"k":[1,2]}',
    yaml: 'k: [1, 2]\n',
    v: 'v1.32.5+k3s1',
    empty: '',
    nil: null,
    path: '/etc/rancher/k3s/k3s.yaml',
  },
]);
const r = (text: string) => t.render(text, vars);

describe('helpers', () => {
  const table: [string, unknown][] = [
    ['{{default missing "d"}}', 'd'],
    ['{{default nil "d"}}', 'd'],
    ['{{default empty "d"}}', ''],
    ['{{default empty "d" true}}', 'd'],
    ['{{default s "d"}}', '  Hello World  '],
    ['{{defined missing}}', false],
    ['{{defined m.x}}', true],
    ['{{eq m.x 1}}', true],
    ['{{ne m.x 1}}', false],
    ['{{lt 1 2}}', true],
    ['{{lte 2 2}}', true],
    ['{{gt 1 2}}', false],
    ['{{gte "b" "a"}}', true],
    ['{{and true m.x}}', true],
    ['{{and true 0}}', false],
    ['{{or nil empty "x"}}', 'x'],
    ['{{not empty}}', true],
    ['{{in 2 list}}', true],
    ['{{in "x" m}}', true],
    ['{{in "ell" s}}', true],
    ['{{contains list 9}}', false],
    ['{{length list}}', 4],
    ['{{length m}}', 2],
    ['{{length csv}}', 5],
    ['{{join list "-"}}', '3-1-2-1'],
    ['{{split csv ","}}', ['a', 'b', 'c']],
    // No separator: Python's str.split(), so k3s-ansible's extra_agent_args: "" gives no flags.
    ['{{split "  --a  b=c "}}', ['--a', 'b=c']],
    ['{{split ""}}', []],
    ['{{split "x" ","}}', ['x']],
    ['{{first list}}', 3],
    ['{{last list}}', 1],
    ['{{keys m}}', ['x', 'y']],
    ['{{values m}}', [1, 2]],
    ['{{upper "k3s"}}', 'K3S'],
    ['{{lower "K3S"}}', 'k3s'],
    ['{{trim s}}', 'Hello World'],
    ['{{replace csv "," ";"}}', 'a;b;c'],
    ['{{regex_replace v "\\+k3s\\d+$" ""}}', 'v1.32.5'],
    ['{{regex_search v "v(\\d+\\.\\d+)"}}', '1.32'],
    ['{{regex_search v "nomatch"}}', null],
    ['{{to_json m}}', '{"x":1,"y":2}'],
    ['{{from_json json}}', { k: [1, 2] }],
    ['{{to_yaml m}}', 'x: 1\ny: 2\n'],
    ['{{from_yaml yaml}}', { k: [1, 2] }],
    ['{{int "42"}}', 42],
    ['{{int "0x1f"}}', 31],
    ['{{float "1.5"}}', 1.5],
    ['{{bool "yes"}}', true],
    ['{{bool "False"}}', false],
    ['{{string 5}}', '5'],
    ['{{b64encode "k3s"}}', 'azNz'],
    ['{{b64decode "azNz"}}', 'k3s'],
    ['{{basename path}}', 'k3s.yaml'],
    ['{{dirname path}}', '/etc/rancher/k3s'],
    ['{{sha256 "abc"}}', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ['{{env "HOME"}}', '/root'],
    ['{{env "NOPE" "fallback"}}', 'fallback'],
    ['{{now}}', '2026-01-07T09:05:03.000Z'],
    ['{{now "YYYYMMDD-HHmmss"}}', '20260107-090503'],
    ['{{now "unix"}}', 1767776703],
    ['{{version_compare v ">=" "v1.32.5+k3s1"}}', true],
    ['{{version_compare v "<" "v1.32.5+k3s2"}}', true],
    ['{{version_compare v ">" "v1.32.10+k3s1"}}', false],
    ['{{version_compare "v1.32.0-rc1+k3s1" "<" "v1.32.0+k3s1"}}', true],
    ['{{version_compare "v1.9.0" "v1.10.0"}}', -1],
    ['{{version_minor v}}', 32],
    ['{{version_channel v}}', 'v1.32'],
    ['{{pluck nodes "name"}}', ['a', 'b']],
    ['{{pluck (where nodes "ready") "name"}}', ['a']],
    ['{{unique list}}', [3, 1, 2]],
    ['{{sort list}}', [1, 1, 2, 3]],
    ['{{ternary true "a" "b"}}', 'a'],
    ['{{concat "a" 1 "b"}}', 'a1b'],
    ['{{quote "it\'s; rm -rf /"}}', "'it'\\''s; rm -rf /'"],
    ['{{lookup m "y"}}', 2],
    ['{{list 1 "a"}}', [1, 'a']],
    ['{{dict a=1 b="x"}}', { a: 1, b: 'x' }],
    ['{{range 3}}', [0, 1, 2]],
    ['{{add 2 3}}', 5],
    ['{{sum list}}', 7],
    ['{{max list}}', 3],
  ];
  it.each(table)('%s', (text, expected) => {
    expect(r(text)).toEqual(expected);
  });

  it('explains misuse instead of producing garbage', () => {
    expect(() => r('{{lt "a" 1}}')).toThrow(/compares two numbers or two strings/);
    expect(() => r('{{int "abc"}}')).toThrow(/cannot read "abc" as a number/);
    expect(() => r('{{join m ","}}')).toThrow(/needs a list/);
    expect(() => r('{{version_compare "garbage" ">" "v1"}}')).toThrow(/is not a version/);
    expect(() => r('{{nosuch 1}}')).toThrow(/unknown helper 'nosuch'/);
    expect(() => r('{{lenght list}}')).toThrow(/unknown helper 'lenght'/);
  });
});

describe('get', () => {
  it('looks up a key held in a variable, then a path; undefined when missing', () => {
    const s = new Scope([{ hv: { 's-1': { cluster: { server_version: 'v1.32.5+k3s1' } } }, host: 's-1' }]);
    const t2 = createTemplater();
    expect(t2.render("{{get hv host 'cluster.server_version'}}", s)).toBe('v1.32.5+k3s1');
    expect(t2.render('{{get hv host}}', s)).toEqual({ cluster: { server_version: 'v1.32.5+k3s1' } });
    expect(t2.render("{{default (get hv 'nope' 'x') 'none'}}", s)).toBe('none');
    expect(t2.render("{{default (get hv host 'cluster.constructor') 'none'}}", s)).toBe('none');
  });
});
