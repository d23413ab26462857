import { describe, expect, it } from 'vitest';
import { translateExpression, translateTemplate } from '../../../engine/jinja/index.js';
import { createTemplater, Scope } from '../../../engine/template/index.js';

const expr = (src: string) => {
  const t = translateExpression(src);
  if (!('text' in t)) throw new Error(`${src}: left: ${t.notes[0].why}`);
  return t.text;
};

describe('Jinja expressions → Handlebars', () => {
  const table: [string, string][] = [
    ['x', 'x'],
    ["'it''s'", "'its'"],
    ['"a\'b"', '"a\'b"'],
    ['1.0', '1.0'],
    ['-3', '-3'],
    ['None', 'null'],
    ['[1, "a"]', "list 1 'a'"],
    ["{'k': v}", 'dict k=v'],
    ['a.b.c', 'a.b.c'],
    ["groups['server'][0]", 'groups.server.[0]'],
    ['xs[-1]', 'xs.[-1]'],
    ["hostvars['w-1'].ip", 'hostvars.[w-1].ip'],
    [
      "hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0])",
      "default (at hostvars groups.server.[0] 'ansible_host') groups.server.[0]",
    ],
    [
      "ansible_facts[(cilium_iface | default(calico_iface | default(flannel_iface)))]['ipv4']['address']",
      "at ansible_facts (default cilium_iface (default calico_iface flannel_iface)) 'ipv4' 'address'",
    ],
    ["x | default('y', true)", "default x 'y' true"],
    ['x | d', "default x ''"],
    ["l | join(',')", "join_str l ','"],
    ['l | join', "join_str l ''"],
    ['l | map(attribute="name") | list', "pluck l 'name'"],
    ["l | map('upper') | first", "first (map l 'upper')"],
    ["x | bool | ternary('on', 'off')", "ternary (to_bool x) 'on' 'off'"],
    ['x | int + 1', 'plus (to_int x) 1'],
    ["'a' ~ b ~ 1", "pyconcat 'a' b 1"],
    ['a - b * c / d', 'sub a (div (mul b c) d)'],
    ['7 // 2 ** 3 % 4', 'mod (floordiv 7 (pow 2 3)) 4'],
    ['a == b', 'eq a b'],
    ['a != b and c >= 1', 'and (ne a b) (gte c 1)'],
    ['a and b', 'if a b a'],
    ['a or b', 'or a b'],
    ['not a', 'not a'],
    ['1 < x <= 3', 'and (lt 1 x) (lte x 3)'],
    ["'x' in l", "in 'x' l"],
    ["'x' not in l", "not (in 'x' l)"],
    ["'y' if c else 'n'", "if c 'y' 'n'"],
    ["'y' if c", "if c 'y' null"],
    ['x is defined', 'defined x'],
    ['x is not defined', 'not (defined x)'],
    ['x is undefined', 'not (defined x)'],
    ['x is none', 'eq x null'],
    ["v is version('1.28', '>=')", "is 'version' v '1.28' '>='"],
    ["v is version_compare('1.28', 'lt')", "is 'version' v '1.28' '<'"],
    ["v is version('1.28')", "is 'version' v '1.28' '=='"],
    ["v is version('1.2', '<', strict=true)", "is 'version' v '1.2' '<' strict=true"],
    ["s is match('ab+')", "is 'match' s 'ab+'"],
    ["s is search('ab+')", "is 'search' s 'ab+'"],
    ['r is succeeded', "is 'succeeded' r"],
    ['x is mapping', "is 'mapping' x"],
    ["s.split(',')", "split s ','"],
    ['s.strip().lower()', 'lower (trim s)'],
    ['s.startswith("v")', "startswith s 'v'"],
    ["', '.join(l)", "join_str l ', '"],
    ["'{}-{}'.format(a, 1)", "str_format '{}-{}' a 1"],
    ["l.index('x')", "index_of l 'x'"],
    ['d.keys() | list | length', 'length (keys d)'],
    ['l[1:]', 'slice l 1 null null'],
    ["lookup('env', 'HOME')", "env 'HOME' ''"],
    ["query('env', 'HOME')", "list (env 'HOME' '')"],
    ["lookup('vars', 'x', default=1)", "default (at @root 'x') 1"],
    ["{'é': 1, k: 2}", "dict_pairs 'é' 1 k 2"],
    ['range(3)', 'range 3'],
    ["s | regex_replace('^v(\\d+)', 'V\\1')", "regex_replace s '^v(\\d+)' 'V$1'"],
    ['d | combine(e)', 'combine d e'],
    ["d | combine(e, recursive=true, list_merge='append')", "combine d e recursive=true list_merge='append'"],
    ["l | sort(attribute='a')", "sort_by l attribute='a'"],
    ['l | unique', 'unique_by l'],
    ['x | int(base=16)', 'to_int x 0 16'],
    ["l | selectattr('a', 'eq', 1)", "selectattr l 'a' 'eq' 1"],
    ["s | regex_search('v(\\d+)')", "regex_search s 'v(\\d+)' whole=true"],
    ['x | to_nice_yaml', 'pyyaml x nice=true'],
    ['x | to_json', 'pyjson x'],
    ['x | string', 'pystr x'],
    ['x | mandatory', 'x'],
  ];
  it.each(table)('%s → %s', (jinja, hbs) => expect(expr(jinja)).toBe(hbs));

  it('a condition may use (and a b), a value may not', () => {
    expect(translateExpression('a and b', true)).toEqual({ text: 'and a b' });
  });
});

describe('what is left, located', () => {
  const left: [string, number, RegExp][] = [
    ["x | password_hash('md5')", 19, /only sha512 and sha256/],
    ["x | ipaddr('6to4')", 12, /ipaddr\('6to4'\) has no herdbook helper/],
    ['x | frobnicate', 5, /filter 'frobnicate' has no herdbook helper/],
    ["'%s-%s' % (a, b)", 1, /%-formatting/],
    ['l | select(t)', 12, /select with the test \(computed\)/],
    ["'{}'.title2(x)", 1, /method .title2\(\)/],
    ["lookup('dig', 'x')", 1, /lookup\('dig', \.\.\.\) has no herdbook helper/],
    ["lookup('file', 'x', errors='ignore')", 28, /lookup\('file'\)'s option errors= has no herdbook meaning/],
    ['x is frob', 1, /test 'frob'/],
  ];
  it.each(left)('%s', (src, col, why) => {
    const t = translateExpression(src);
    expect('notes' in t).toBe(true);
    if (!('notes' in t)) return;
    expect(t.notes[0].col, src).toBe(col);
    expect(t.notes[0].why, src).toMatch(why);
  });

  it('locates a left construct by line and column in a multi-line value', () => {
    const t = translateTemplate('first line\n  {{ a }} and {{ b | to_uuid }}\n');
    expect(t.kind).toBe('left');
    if (t.kind !== 'left') return;
    expect(t.notes[0]).toMatchObject({ line: 2, col: 22, jinja: 'to_uuid' });
  });
});

describe('Jinja templates → Handlebars templates', () => {
  const table: [string, string][] = [
    ['{{ x }}', '{{ x }}'],
    ["--node-ip={{ ip | default('1.2.3.4') }}", "--node-ip={{pystr (default ip '1.2.3.4')}}"],
    ["--node-ip={{ ip | default('1.2.3.4') | trim }}", "--node-ip={{trim (default ip '1.2.3.4')}}"],
    ['{% if a %}A{% elif b %}B{% else %}C{% endif %}', '{{#if a}}A{{else if b}}B{{else}}C{{/if}}'],
    ['{% if a and b %}x{% endif %}', '{{#if (and a b)}}x{{/if}}'],
    [
      '{% for h in groups.server %}{{ h }}{% if not loop.last %},{% endif %}{% endfor %}',
      '{{#each (iter groups.server) as |h|}}{{pystr h}}{{#if (not @last)}},{{/if}}{{/each}}',
    ],
    [
      '{% for x in [1, 2] %}{{ loop.index }}:{{ y }} {% endfor %}',
      '{{#each (list 1 2) as |x|}}{{add @index 1}}:{{pystr @root.y}} {{/each}}',
    ],
    [
      '{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}',
      '{{#each d as |v k|}}{{pystr k}}={{pystr v}};{{/each}}',
    ],
    [
      '{% for a, b in pairs %}{{ a ~ b }}{% endfor %}',
      '{{#each (iter pairs) as |a_b_item|}}{{pyconcat (at a_b_item 0) (at a_b_item 1)}}{{/each}}',
    ],
    ["{% set p = 'v' ~ n %}{{ p }}-{{ p | upper }}", "{{pystr (pyconcat 'v' n)}}-{{upper (pyconcat 'v' n)}}"],
    ['{% set p = y %}{% for x in l %}{{ p }}{% endfor %}', '{{#each (iter l) as |x|}}{{pystr @root.y}}{{/each}}'],
    [
      '{% for x in l %}{{ x }}\n{% endfor %}\n',
      '{{#ensure_newlines 1}}{{#each (iter l) as |x|}}{{pystr x}}\n{{/each}}{{/ensure_newlines}}',
    ],
    ['#jinja2: trim_blocks: False\n{% if x %}\na{% endif %}', '{{#if x}}{{!}}\na{{/if}}'],
    ['a {# comment #}b', 'a b'],
    ['{% raw %}{{ kept }} {% x %}{% endraw %}', "{{'{'}}{ kept }} {{'{'}}% x %}"],
    ['a\n{% if x %}\nb\n{% endif %}\nc', 'a\n{{#if x}}b\n{{/if}}c'],
    ["{{ 'lit' }}", "{{ 'lit' }}"],
    ["{{ x | upper }}, {{ 'lit' }}", '{{upper x}}, lit'],
  ];
  it.each(table)('%j → %j', (jinja, hbs) => {
    expect(translateTemplate(jinja)).toEqual({ kind: 'translated', text: hbs });
  });

  it('guards a block tag Handlebars would strip as standalone, and leaves statements it cannot spell', () => {
    const standalone = translateTemplate('a\n  {% if x %}  \nb{% endif %}');
    expect(standalone).toEqual({ kind: 'translated', text: 'a\n  {{#if x}}{{!}}  \nb{{/if}}' });
    const t = createTemplater();
    if (standalone.kind === 'translated')
      expect(t.render(standalone.text, new Scope([{ x: true }]))).toBe('a\n    \nb');
    const include = translateTemplate("{% include 'other.j2' %}");
    expect(include.kind === 'left' && include.notes[0].why).toMatch(/include/);
  });

  it('broken Jinja is left, with where it breaks; broken text without a Jinja sign may be Handlebars', () => {
    expect(translateTemplate("a {{ x | default('y' }}")).toEqual({
      kind: 'left',
      notes: [{ line: 1, col: 22, jinja: '}', why: "expected ',', got the end of the expression", write: undefined }],
    });
    expect(translateTemplate('{% if x %}no end')).toMatchObject({ kind: 'left' });
    expect(translateTemplate('{{ a b }}').kind).toBe('not-jinja');
  });

  it('text without delimiters is plain; herdbook Handlebars is not Jinja', () => {
    expect(translateTemplate('just text').kind).toBe('plain');
    expect(translateTemplate("{{default x 'y'}}").kind).toBe('not-jinja');
    expect(translateTemplate('{{#if x}}a{{/if}}').kind).toBe('not-jinja');
  });
});

describe('the translation evaluates to what Jinja gives', () => {
  const t = createTemplater({ env: { HOME: '/root' } });
  const vars = {
    groups: { server: ['s1', 's2'], agent: ['a1'] },
    hostvars: { s1: { ansible_host: '10.0.0.1' }, s2: {}, a1: {} },
    flannel_iface: 'eth0',
    ansible_facts: { eth0: { ipv4: { address: '10.0.0.9' } } },
    n: 7,
    s: ' Hello World ',
    l: ['b', 'a', 'c'],
    d: { x: 1, y: 2 },
    none: null,
  };
  const run = (jinja: string, extra: Record<string, unknown> = {}) => {
    const tr = translateTemplate(jinja);
    if (tr.kind !== 'translated') throw new Error(`${jinja}: ${JSON.stringify(tr)}`);
    return t.render(tr.text, new Scope([extra, vars]));
  };
  const table: [string, unknown][] = [
    ["{{ hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0]) }}", '10.0.0.1'],
    ["{{ hostvars[groups['server'][1]]['ansible_host'] | default(groups['server'][1]) }}", 's2'],
    [
      "{{ ansible_facts[(cilium_iface | default(calico_iface | default(flannel_iface)))]['ipv4']['address'] }}",
      '10.0.0.9',
    ],
    ["{{ true if groups['node'] | default([]) | length >= 1 else false }}", false],
    ["{{ true if groups['agent'] | default([]) | length >= 1 else false }}", true],
    ["{{ '--flannel-iface=' + flannel_iface if calico_iface is not defined else '' }}", '--flannel-iface=eth0'],
    // The branch not taken is not evaluated: an undefined variable there is no error.
    ["{{ undefined_thing if false else 'ok' }}", 'ok'],
    ['{{ n // 2 }} {{ -7 // 2 }} {{ -7 % 3 }} {{ 2 ** 10 }}', '3 -4 2 1024'],
    ['{{ s.strip().lower() }}', 'hello world'],
    ['{{ l[1:] }}', ['a', 'c']],
    ['{{ l[::-1] | join }}', 'cab'],
    ["{{ 'abc'[-1] }}", 'c'],
    ['{{ l | map("upper") | join(",") }}', 'B,A,C'],
    ['{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}', 'x=1;y=2;'],
    ['{% for k in d %}{{ k }}{% endfor %}', 'xy'],
    ['{% for x in l %}{{ loop.index }}{{ x }}{% if not loop.last %},{% endif %}{% endfor %}', '1b,2a,3c'],
    ["{{ lookup('env', 'HOME') }}", '/root'],
    ['{{ a and b }}', 2],
    ['{{ none and b }}', null],
    ["{{ 'hello world' | title }}", 'Hello World'],
    ['{{ d | dict2items | items2dict }}', { x: 1, y: 2 }],
  ];
  it.each(table)('%s', (jinja, want) => expect(run(jinja, { a: 1, b: 2 })).toEqual(want));

  it('a missing key is undefined, so default() still applies, and is an error without it', () => {
    expect(() => run("{{ hostvars['s2']['ansible_host'] }}")).toThrow(/undefined variable/);
    expect(() => run("{{ hostvars[groups['server'][1]]['ansible_host'] }}")).toThrow(/has no "ansible_host"/);
  });
});
