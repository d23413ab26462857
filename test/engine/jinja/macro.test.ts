// {% macro %} and its calls → inline partials (engine/jinja/print-macro.ts): the spelling, what is
// left with a located reason, and that the output is no Jinja to convert again. That the bytes are
// Ansible's is test/conformance/jinja-oracle.test.ts' (the macro-* rows).
import { describe, expect, it } from 'vitest';
import { translateTemplate, TEMPLATE_MODULE_OPTIONS } from '../../../engine/jinja/index.js';

const FLAG = "{% macro flag(name, value='on') %}--{{ name }}={{ value }}{% endmacro %}";

describe('{% macro %} → an inline partial', () => {
  const table: [string, string][] = [
    [
      `${FLAG}{{ flag('tls') }} {{ flag('x', value=cluster) }} {{ flag(value=1, name='y') }}`,
      `{{#*inline 'flag' value='on'}}--{{pystr name}}={{pystr value}}{{/inline}}{{> flag name='tls'}} {{> flag name='x' value=cluster}} {{> flag name='y' value=1}}`,
    ],
    // Arguments are read where the call is (a block parameter, @index); the body reads its own and the root's.
    [
      '{% macro m(x) %}<{{ x }}{{ sep }}>{% endmacro %}{% for s in l %}{{ m(s ~ loop.index) }}{% endfor %}',
      `{{#*inline 'm'}}<{{pystr x}}{{pystr sep}}>{{/inline}}{{#each (iter l) as |s|}}{{> m x=(pyconcat s (add @index 1))}}{{/each}}`,
    ],
    [
      '{% macro m(items) %}{% for i in items %}{{ i }}{{ loop.index }}{{ sep }}{% endfor %}{% endmacro %}',
      `{{#*inline 'm'}}{{#each (iter items) as |i|}}{{pystr i}}{{add @index 1}}{{pystr @root.sep}}{{/each}}{{/inline}}`,
    ],
    // A default may read an earlier parameter; a macro may call one defined after it.
    [
      "{% macro a(x, y=x ~ '!') %}{{ b(y) }}{% endmacro %}{% macro b(z) %}[{{ z }}]{% endmacro %}{{ a(1) }}",
      `{{#*inline 'a' y=(pyconcat x '!')}}{{> b z=y}}{{/inline}}{{#*inline 'b'}}[{{pystr z}}]{{/inline}}{{> a x=1}}`,
    ],
    // A {% set %} made once before the macro is inlined, read from the root.
    [
      "{% set p = 'n-' ~ c %}{% macro m() %}{{ p }}{% endmacro %}{{ m() }}",
      `{{#*inline 'm'}}{{pystr (pyconcat 'n-' @root.c)}}{{/inline}}{{> m}}`,
    ],
    // {% call %}: the partial called as a block; caller() renders the block where it stands.
    [
      "{% macro w(t) %}<{{ t }}>{{ caller() }}</{{ t }}>{% endmacro %}{% for s in l %}{% call w('b') %}{{ s }}{% endcall %}{% endfor %}",
      "{{#*inline 'w'}}<{{pystr t}}>{{> @partial-block}}</{{pystr t}}>{{/inline}}{{#each (iter l) as |s|}}{{#> w t='b'}}{{pystr s}}{{/w}}{{/each}}",
    ],
    // Alone on its line the call would be a standalone partial (line stripped, lines indented): guarded.
    ['{% macro m() %}x{% endmacro %}\na\n  {{ m() }}\ny', `{{#*inline 'm'}}x{{/inline}}a\n  {{> m}}{{!}}\ny`],
  ];
  it.each(table)('%j → %j', (jinja, hbs) => {
    expect(translateTemplate(jinja)).toEqual({ kind: 'translated', text: hbs });
  });

  it('its output is no Jinja: converting it again changes nothing', () => {
    for (const [jinja] of table) {
      const once = translateTemplate(jinja, TEMPLATE_MODULE_OPTIONS);
      if (once.kind !== 'translated') throw new Error(jinja);
      expect(translateTemplate(once.text, TEMPLATE_MODULE_OPTIONS).kind).toBe('not-jinja');
    }
  });
});

describe('what a partial cannot do is left, located, with what to write', () => {
  const call = '{{ m(1) }}';
  const m = (body: string, params = 'x') => `{% macro m(${params}) %}${body}{% endmacro %}`;
  const table: [string, string, RegExp, RegExp?][] = [
    // [template, the Jinja text the note points at, why, what to write]
    [m('{{ varargs }}') + call, 'varargs', /varargs/, /list/],
    [m('{{ kwargs }}') + call, 'kwargs', /kwargs/, /dict/],
    [m('{{ x }}') + '{{ m(1, 2) }}', '2', /takes 1 arguments: more are Jinja's varargs/],
    [m('{{ x }}') + '{{ m(1, y=2) }}', '2', /no parameter y/, /add y/],
    [m('{{ x }}') + '{{ m(1, x=2) }}', '2', /given x twice/],
    [m('{{ x }}', 'x, y') + call, 'm(1)', /without y, which has no default/, /y=none/],
    [m('{{ m(x) }}') + call, 'm(x)', /calls itself/, /flatten/],
    [m('{{ x }}') + '{{ m(1) | upper }}', 'm(1)', /output of the macro m\(\) used in an expression/],
    [m('{{ x }}') + "{{ 'a' ~ m(1) }}", 'm(1)', /output of the macro m\(\) used in an expression/],
    [m('{{ x }}') + '{% set y = m(1) %}', 'm(1)', /output of the macro/],
    [call + m('{{ x }}'), 'm(1)', /called before its \{% macro %\}/],
    [m('{{ loop.index }}') + call, 'loop', /`loop` inside a macro/, /argument/],
    [m('{{ caller() }}') + call, 'm(1)', /calls caller\(\), which Jinja leaves undefined unless/, /\{% call m/],
    [
      m('{{ caller() | upper }}') + '{% call m(1) %}b{% endcall %}',
      'caller()',
      /output of caller\(\) used in an expression/,
    ],
    [m('{{ caller(x) }}') + '{% call m(1) %}b{% endcall %}', 'caller(x)', /caller\(\) with arguments/],
    [m('{{ caller() }}') + '{% call(v) m(1) %}{{ v }}{% endcall %}', 'v', /caller\(\) with arguments/],
    [
      m('{{ caller() }}') +
        '{% macro o() %}{% call m(1) %}{{ caller() }}{% endcall %}{% endmacro %}{% call o() %}b{% endcall %}',
      'caller()',
      /inside a \{% call %\} block is the block's own/,
    ],
    [
      '{% call undefined_fn(1) %}b{% endcall %}',
      'undefined_fn(1)',
      /not a macro of this template|something other than a macro/,
    ],
    ['{% set p = 1 %}' + m('{{ p }}') + '{% set p = 2 %}' + call, 'p', /sets more than once or after/, /argument/],
    ['{% for s in l %}' + m('{{ x }}') + '{% endfor %}', '{% macro m(x) %}', /inside another block/, /top/],
    [m('a') + m('b') + call, '{% macro m(x) %}', /a second \{% macro m %\}/],
    [m('{{ this }}', 'this') + call, 'this', /Handlebars keyword/],
    ['{% macro m(a=b, b=1) %}{{ a }}{% endmacro %}{{ m() }}', 'b', /reads the later parameter b/],
    ["{% import 'macros.j2' as mm %}", "{% import 'macros.j2' as mm %}", /import/, /copy the macros/],
    ["{% from 'macros.j2' import flag %}", "{% from 'macros.j2' import flag %}", /import/, /copy the macros/],
  ];
  it.each(table)('%j', (src, jinja, why, write) => {
    const t = translateTemplate(src);
    if (t.kind !== 'left') throw new Error(`translated: ${JSON.stringify(t)}`);
    const n = t.notes[0];
    expect(n.jinja).toBe(jinja);
    // Located in the source: the line and column are where that text starts.
    expect(src.split('\n')[n.line - 1].slice(n.col - 1)).toContain(jinja);
    expect(n.why).toMatch(why);
    if (write) expect(n.write).toMatch(write);
  });
});
