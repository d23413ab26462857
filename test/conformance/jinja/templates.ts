// The .j2 templates the Jinja oracle renders with Ansible's template module and, translated,
// with herdbook: every statement and whitespace rule, and Ansible's printing of values in text.
export type TemplateCase = { name: string; src: string; trim_blocks?: boolean; lstrip_blocks?: boolean };

export const TEMPLATE_CASES: TemplateCase[] = [
  // {% set %} inside {% if %}: after the {% endif %} the name holds the taken branch's value.
  {
    name: 'set-in-if',
    src: "{% set x = 'a' %}{% if yes_ %}{% set x = 'b' %}{% endif %}{{ x }}\n{% if no_ %}{% set y = 1 %}{% elif yes_ %}{% set y = 2 %}{% else %}{% set y = 3 %}{% endif %}{{ y }}\n{% if no_ %}{% set z = 'z' %}{% endif %}{{ z | default('none') }}\n",
  },
  {
    name: 'set-in-if-in-for',
    src: "{% for s in servers %}\n{% if s == 's2' %}\n{% set mark = '*' %}\n{% else %}\n{% set mark = '-' %}\n{% endif %}\n{{ s }}{{ mark }}\n{% endfor %}\n",
  },
  // {% for x in xs if cond %} whose body does not count (no loop.*, no else).
  { name: 'for-if', src: "{% for s in servers if s != 's2' %}\n- {{ s }}\n{% endfor %}\ndone\n" },
  { name: 'for-if-attr', src: '{% for p in people if p.age >= 30 %}{{ p.name }} {% endfor %}\n' },
  { name: 'if-inline', src: 'a{% if yes_ %}Y{% elif no_ %}N{% else %}E{% endif %}b\n' },
  {
    name: 'if-elif-else-lines',
    src: 'start\n{% if no_ %}\nno\n{% elif yes_ %}\n  yes\n{% else %}\nelse\n{% endif %}\nend\n',
  },
  {
    name: 'if-indented-tags',
    src: 'x:\n  {% if yes_ %}\n  y: 1\n  {% endif %}\n  {% if no_ %}\n  n: 2\n  {% endif %}\nz\n',
  },
  {
    name: 'for-loop-fields',
    src: '{% for s in servers %}\n{{ loop.index }}/{{ loop.length }} {{ loop.index0 }} {{ s }}{% if loop.first %} first{% endif %}{% if loop.last %} last{% endif %} rev={{ loop.revindex }}\n{% endfor %}\n',
  },
  { name: 'for-else', src: '{% for x in empty %}\n{{ x }}\n{% else %}\nnothing\n{% endfor %}\ndone\n' },
  { name: 'for-items-unpack', src: '{% for k, v in labels.items() %}\n{{ k }}={{ v }}\n{% endfor %}\n' },
  { name: 'for-pairs-unpack', src: '{% for a, b in servers | zip(ports) %}{{ a }}:{{ b }} {% endfor %}\n' },
  { name: 'for-dict-keys', src: '{% for k in labels %}[{{ k }}]{% endfor %}\n' },
  {
    name: 'for-nested',
    src: '{% for s in servers %}\n{% for p in ports %}\n  {{ s }}:{{ p }}{{ "," if not loop.last else "" }}\n{% endfor %}\n{% endfor %}\n',
  },
  {
    name: 'set-and-loop',
    src: "{% set prefix = 'node-' ~ cluster %}\n{% for s in servers %}\n{{ prefix }}/{{ s }}\n{% endfor %}\n{{ prefix | upper }}\n",
  },
  { name: 'set-in-loop-unpack', src: '{% set first, second = ports %}{{ second }},{{ first }}\n' },
  { name: 'comments', src: 'a {# inline #}b\n{# a whole line #}\nc\n  {# indented #}\nd\n' },
  { name: 'raw', src: "{% raw %}{{ not_a_var }} {% if %}{% endraw %}\n{{ '{{' }} x }}\n" },
  {
    name: 'whitespace-control',
    src: 'a  \n  {%- if yes_ -%}  \n  b  \n  {%- endif %}\nc {{- cluster -}} d\n{{ cluster }}   {{- cluster }}\n',
  },
  { name: 'plus-disables-trim', src: '{% if yes_ +%}\nkept newline\n{% endif %}\n' },
  { name: 'trim-blocks-off', src: '{% if yes_ %}\nA\n{% endif %}\nB\n', trim_blocks: false },
  { name: 'lstrip-blocks-on', src: 'x\n    {% if yes_ %}\n    y\n    {% endif %}\nz\n', lstrip_blocks: true },
  { name: 'header', src: '#jinja2: trim_blocks: False, lstrip_blocks: True\n  {% if yes_ %}\nA\n  {% endif %}\nB\n' },
  { name: 'ends-with-false-block', src: 'a{% if no_ %}\nb\n{% endif %}\n' },
  { name: 'ends-with-var-newline', src: 'text: {{ with_newline }}\n' },
  { name: 'ends-with-blank-lines', src: '{{ cluster }}\n\n\n' },
  { name: 'no-final-newline', src: '{{ cluster }} end' },
  {
    name: 'printing',
    src: 'b={{ yes_ }} n={{ nothing }} l={{ servers }} d={{ labels }} f={{ 1.5 }} f2={{ 4 / 2 }} i={{ 7 }} e={{ [] }} m={{ mixed }} q={{ quoted }}\n',
  },
  { name: 'backslashes', src: 'a\\{{ cluster }} b\\\\{{ cluster }} c\\\n' },
  {
    name: 'k3s-config',
    src:
      '# managed\n{% if k3s_role == "server" %}\ncluster-init: {{ (servers | first) == inventory_name_ }}\n{% if extra_args | length > 0 %}\n' +
      'extra:\n{% for a in extra_args %}\n  - "{{ a }}"\n{% endfor %}\n{% endif %}\ntls-san:\n{% for s in servers %}\n  - {{ s }}\n{% endfor %}\n' +
      '{% else %}\nserver: https://{{ servers[0] }}:6443\n{% endif %}\nnode-label:\n{% for k, v in labels | dictsort %}\n  - "{{ k }}={{ v }}"\n{% endfor %}\n' +
      'token: {{ token | default("none") }}\n{{ config | to_nice_yaml }}',
  },
  // {% macro %} → an inline partial: positional and keyword arguments, defaults, calls in a {% for %}.
  {
    name: 'macro-flags',
    src:
      "{% macro flag(name, value=none, prefix='--') %}{{ prefix }}{{ name }}{% if value is not none %}={{ value }}{% endif %}{% endmacro %}\n" +
      "ExecStart=k3s server {{ flag('cluster-init') }} {{ flag('node-name', inventory_name_) }} {{ flag('token', value=token) }} {{ flag('v', 2, prefix='-') }}\n" +
      "{% for a in extra_args %}\n  {{ flag('extra', a) }} \\\n{% endfor %}\n",
  },
  // A macro that renders a YAML block with its own {% for %}, called alone on a line, in a loop, with -}}.
  {
    name: 'macro-yaml-block',
    src:
      "{% macro taints(node, effects=['NoSchedule']) %}\n- name: {{ node }}\n  taints:\n{% for e in effects %}\n    - effect: {{ e }}{{ ',' if not loop.last }}\n{% endfor %}\n{% endmacro %}\n" +
      "nodes:\n{{ taints('s0') }}\n{% for s in servers %}\n{{ taints(s, effects=['NoExecute', 'PreferNoSchedule']) -}}\n{% endfor %}\nend\n",
  },
  // Macros calling macros (one defined after its caller), a default reading an earlier argument, None given.
  {
    name: 'macro-calls-macro',
    src:
      "{% macro kv(k, v=k ~ '-default', sep=': ') %}{{ k }}{{ sep }}{{ quoted(v) }}{% endmacro %}\n{% macro quoted(s) %}\"{{ s }}\"{% endmacro %}\n" +
      "{{ kv('a') }}\n{{ kv('b', 'x') }}\n{{ kv('c', none) }}\n{{ kv('d', sep='=') }}\n{{ kv(k='e', v=servers) }}\n",
  },
  // Whitespace: tags and calls alone on indented lines, - on every side, a call between text.
  {
    name: 'macro-whitespace',
    src:
      '  {% macro m(x) %}\n  [{{ x }}]\n  {% endmacro %}\na\n  {{ m(1) }}\nb {{- m(2) -}} c\n' +
      '{%- macro n(y) -%}\n   <{{ y }}>\n{%- endmacro -%}\n{{ n(3) }}\n  {{ n(4) }}  \n\n{{ m(5) }}{{ n(6) }}\nend\n',
  },
  {
    name: 'macro-lstrip-blocks',
    src: '  {% macro m(x) %}\n    {% if x %}\n  yes {{ x }}\n    {% endif %}\n  {% endmacro %}\n  {{ m(cluster) }}\n  {{ m(none) }}\nz\n',
    lstrip_blocks: true,
  },
  {
    name: 'macro-trim-blocks-off',
    src: '{% macro m(x) %}\n<{{ x }}>\n{% endmacro %}\n{{ m(1) }}\n{% for s in servers %}\n{{ m(s) }}\n{% endfor %}\n',
    trim_blocks: false,
  },
  // The caller's loop.index as an argument, a {% set %} read once set, an argument named like a global.
  {
    name: 'macro-scope',
    src:
      "{% set prefix = 'node-' ~ cluster %}\n{% macro line(i, s, cluster='c') %}{{ i }}. {{ prefix }}/{{ s }} ({{ cluster }}){% endmacro %}\n" +
      "{% for s in servers %}\n{{ line(loop.index, s) }}\n{% endfor %}\n{{ line(0, 'x', cluster=cluster | upper) }} {{ cluster }}\n",
  },
  // {% call %} → a partial called as a block: caller() renders the block with the caller's loop and
  // variables; a {% call %} inside a macro whose block reads that macro's argument.
  {
    name: 'macro-call-block',
    src:
      '{% macro section(name) %}\n{{ name }}:\n{{ caller() }}\nend-{{ name }}\n{% endmacro %}\n{% macro wrap(t) %}<{{ t }}>{{ caller() }}</{{ t }}>{% endmacro %}\n' +
      "{% for s in servers %}\n{% call wrap('b') %}{{ s }} {{ loop.index }}{% endcall %}\n\n{% endfor %}\n" +
      '{% call section(cluster) %}\n  cluster: {{ cluster }}\n{% for p in ports %}\n  port: {{ p }}\n{% endfor %}\n{% endcall %}\n' +
      "{% macro outer(x) %}({% call wrap('i') %}[{{ x }}]{% endcall %}){% endmacro %}\n{{ outer(cluster) }}\ndone\n",
  },
];

/** The variables both tools render with (Ansible reads them as a vars file). */
export const TEMPLATE_VARS = {
  yes_: true,
  no_: false,
  servers: ['s1', 's2', 's3'],
  ports: [6443, 9345],
  empty: [],
  labels: { zone: 'a', 'node.kubernetes.io/role': 'edge', env: 'prod' },
  cluster: 'blue',
  nothing: null,
  with_newline: 'line\n',
  mixed: [1, 'two', null, true, { k: "it's" }],
  quoted: 'say "hi"',
  k3s_role: 'server',
  inventory_name_: 's1',
  extra_args: ['--disable=traefik', '--flannel-backend=none'],
  token: 'abc',
  config: {
    'write-kubeconfig-mode': '0644',
    disable: ['traefik', 'servicelb'],
    'node-taint': [],
    nested: { b: 2, a: 'yes', c: '1.20', d: '' },
    long: 'word '.repeat(25).trim(),
  },
};

/** YAML values with statements (a set_fact in a k3s role): Ansible templates them as variables. */
export const VALUE_CASES: string[] = [
  '{% if yes_ %}\n--cluster-init\n{% endif %}\n',
  '{% if no_ %}\n--cluster-init\n{% endif %}\n',
  '{% for a in extra_args %}\n{{ a }}\n{% endfor %}\n',
  "{% for s in servers %}{{ s }}{{ ',' if not loop.last }}{% endfor %}",
  "{{ servers | map('regex_replace', '^', 'https://') | join(' ') }}",
  "--node-ip={{ labels['zone'] }} --flannel={{ yes_ | bool }}",
  '{{ servers | length > 2 }}',
  "{{ '\\\\d+' }} and {{ 'a\\\\nb' }}",
  '  {% if yes_ %}\n  indented\n  {% endif %}\n',
  "{% macro flag(n, v='on') %}--{{ n }}={{ v }}{% endmacro %}{{ flag('a') }} {{ flag('b', v=cluster) }}",
  '{% macro item(x) %}\n- {{ x }}\n{% endmacro %}\n{% for s in servers %}\n{{ item(s) }}\n{% endfor %}\n',
];
