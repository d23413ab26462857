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
];
