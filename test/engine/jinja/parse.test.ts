import { describe, expect, it } from 'vitest';
import { splitTemplate } from '../../../engine/jinja/lexer.js';
import type { Expr } from '../../../engine/jinja/nodes.js';
import { parseExpression, parseTemplate } from '../../../engine/jinja/parse-template.js';

/** The source text a node covers. */
const textOf = (src: string, n: { start: number; end: number }) => src.slice(n.start, n.end);

describe('expressions', () => {
  it('parses the k3s-ansible api_endpoint with every node located', () => {
    const src = "hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0])";
    const e = parseExpression(src);
    expect(e.type).toBe('Filter');
    if (e.type !== 'Filter') return;
    expect(e.name).toBe('default');
    expect(textOf(src, e)).toBe(src);
    expect(textOf(src, e.node)).toBe("hostvars[groups['server'][0]]['ansible_host']");
    expect(src.slice(e.nameStart, e.nameStart + 7)).toBe('default');
    expect(textOf(src, e.args[0])).toBe("groups['server'][0]");
    const access = e.node as Extract<Expr, { type: 'Getitem' }>;
    expect(access.type).toBe('Getitem');
    expect(textOf(src, access.arg)).toBe("'ansible_host'");
    const inner = access.node as Extract<Expr, { type: 'Getitem' }>;
    expect(textOf(src, inner.arg)).toBe("groups['server'][0]");
  });

  it('binds as Jinja does: filters and tests tighter than arithmetic, not looser than comparisons', () => {
    const shape = (e: Expr): unknown => {
      switch (e.type) {
        case 'Name':
          return e.name;
        case 'Const':
          return e.value;
        case 'Binary':
          return [e.op, shape(e.left), shape(e.right)];
        case 'Unary':
          return [e.op, shape(e.node)];
        case 'Compare':
          return ['cmp', shape(e.left), ...e.ops.flatMap((o) => [o.op, shape(o.right)])];
        case 'Filter':
          return ['|' + e.name, shape(e.node), ...e.args.map(shape)];
        case 'Test':
          return [(e.negated ? 'is not ' : 'is ') + e.name, shape(e.node), ...e.args.map(shape)];
        case 'CondExpr':
          return ['if', shape(e.test), shape(e.then), e.otherwise && shape(e.otherwise)];
        case 'Call':
        case 'Dict':
        case 'Getattr':
        case 'Getitem':
        case 'List':
        case 'Slice':
        case 'Tuple':
          return e.type;
      }
    };
    const table: [string, unknown][] = [
      ['a + b * c', ['+', 'a', ['*', 'b', 'c']]],
      ['a ~ b | upper', ['~', 'a', ['|upper', 'b']]],
      ['-x | abs', ['|abs', ['-', 'x']]],
      ['not a is defined', ['not', ['is defined', 'a']]],
      ['a or b and c', ['or', 'a', ['and', 'b', 'c']]],
      ['x | length >= 1', ['cmp', ['|length', 'x'], '>=', 1]],
      ['a < b < c', ['cmp', 'a', '<', 'b', '<', 'c']],
      ['x not in y', ['cmp', 'x', 'not in', 'y']],
      ['a if c else b if d else e', ['if', 'c', 'a', ['if', 'd', 'b', 'e']]],
      ['2 ** 3 ** 2', ['**', ['**', 2, 3], 2]],
      ['7 // 2 % 3', ['%', ['//', 7, 2], 3]],
      ['x is not none', ['is not none', 'x']],
      ['x is divisibleby 3', ['is divisibleby', 'x', 3]],
      ["v is version('1.2', '>=')", ['is version', 'v', '1.2', '>=']],
      ["'a' 'b'", 'ab'],
      ['True and none', ['and', true, null]],
    ];
    for (const [src, want] of table) expect(shape(parseExpression(src)), src).toEqual(want);
  });

  it('reads literals, slices, calls with keyword arguments and dotted filter names', () => {
    const e = parseExpression("[1, 2.5, 'a\\n', {'k': (1, 2)}][1:3] | ansible.builtin.combine(x, recursive=True)");
    expect(e.type).toBe('Filter');
    if (e.type !== 'Filter') return;
    expect(e.name).toBe('ansible.builtin.combine');
    expect(e.kwargs.map((k) => k.name)).toEqual(['recursive']);
    expect(e.node.type).toBe('Slice');
    const list = (e.node as Extract<Expr, { type: 'Slice' }>).node as Extract<Expr, { type: 'List' }>;
    expect(list.items.map((i) => i.type)).toEqual(['Const', 'Const', 'Const', 'Dict']);
    // Inside {{ }} Ansible keeps a string's backslashes (escape_backslashes); elsewhere Python's escapes apply.
    expect((list.items[2] as { value: string }).value).toBe('a\\n');
    const python = parseExpression("'a\\n\\x41\\101'", {
      trimBlocks: true,
      lstripBlocks: false,
      escapeBackslashes: false,
    });
    expect((python as { value: string }).value).toBe('a\nAA');
    expect((list.items[1] as { float?: boolean }).float).toBe(true);
    const m = parseExpression("s.split(',')[0].strip()");
    expect(m.type).toBe('Call');
  });

  it('says where the syntax breaks', () => {
    const cases: [string, number, RegExp][] = [
      ['a |', 3, /expected a name/],
      ["x['a'", 5, /expected '\]'/],
      ["'open", 0, /never closed/],
      ['a b', 2, /end of the expression/],
      ['a $ b', 2, /unexpected character/],
    ];
    for (const [src, offset, msg] of cases) {
      try {
        parseExpression(src);
        expect.unreachable(src);
      } catch (e) {
        expect((e as { offset: number }).offset, src).toBe(offset);
        expect((e as Error).message, src).toMatch(msg);
      }
    }
  });
});

describe('templates', () => {
  it('parses if/elif/else, for with else and unpacking, set, and keeps unsupported statements located', () => {
    const src =
      "{% if a %}A{% elif b %}B{% else %}C{% endif %}{% for k, v in d.items() %}{{ k }}{% else %}none{% endfor %}{% set x = 1 %}{% include 'f' %}";
    const t = parseTemplate(src);
    expect(t.body.map((s) => s.type)).toEqual(['If', 'For', 'Set', 'Unsupported']);
    const [iff, forr, , inc] = t.body;
    if (iff.type !== 'If' || forr.type !== 'For') throw new Error('shape');
    expect(iff.branches).toHaveLength(2);
    expect(iff.otherwise?.map((s) => s.type)).toEqual(['Text']);
    expect(textOf(src, iff)).toBe('{% if a %}A{% elif b %}B{% else %}C{% endif %}');
    expect(forr.targets).toEqual(['k', 'v']);
    expect(forr.otherwise).toHaveLength(1);
    expect(textOf(src, inc)).toBe("{% include 'f' %}");
  });

  it('applies whitespace control, trim_blocks (on in Ansible) and lstrip_blocks in the lexer', () => {
    const data = (src: string, opts?: { trimBlocks: boolean; lstripBlocks: boolean; escapeBackslashes: boolean }) =>
      splitTemplate(src, opts)
        .map((p) => (p.kind === 'data' ? p.value : `<${p.kind}>`))
        .join('');
    expect(data('a  {{- x -}}  b')).toBe('a<var>b');
    expect(data('a\n{% if x %}\nb\n{% endif %}\nc')).toBe('a\n<block>b\n<block>c');
    expect(data('a\n{% if x +%}\nb', { trimBlocks: true, lstripBlocks: false, escapeBackslashes: true })).toBe(
      'a\n<block>\nb',
    );
    expect(data('a\n  {% if x %}\nb', { trimBlocks: false, lstripBlocks: true, escapeBackslashes: true })).toBe(
      'a\n<block>\nb',
    );
    expect(data('a {# note #}\nb')).toBe('a b');
    expect(data('{% raw %}{{ not parsed }}{% endraw %}')).toBe('{{ not parsed }}');
  });

  it('parses a macro: its name, parameters with defaults located, its body and its own tag', () => {
    const src = "{% macro flag(name, value='on', n=1 + 1) %}--{{ name }}{% endmacro %}";
    const [m] = parseTemplate(src).body;
    if (m.type !== 'Macro') throw new Error('shape');
    expect(m.name).toBe('flag');
    expect(m.params.map((p) => [textOf(src, p), p.default && textOf(src, p.default)])).toEqual([
      ['name', undefined],
      ['value', "'on'"],
      ['n', '1 + 1'],
    ]);
    expect(m.body.map((s) => s.type)).toEqual(['Text', 'Output']);
    expect(textOf(src, m.tag)).toBe("{% macro flag(name, value='on', n=1 + 1) %}");
    expect(textOf(src, m)).toBe(src);
    expect(() => parseTemplate('{% macro m(a=1, b) %}{% endmacro %}')).toThrow(/non-default argument follows/);
    expect(() => parseTemplate('{% macro m(a,) %}{% endmacro %}')).toThrow(/expected a name/);
    expect(() => parseTemplate('{% macro m(a) %}x')).toThrow(/ends before '\{% endmacro %\}'/);
  });

  it('parses a call block: its caller parameters, the call and its body', () => {
    const src = "{% call(v) m(1, k='x') %}got {{ v }}{% endcall %}";
    const [c] = parseTemplate(src).body;
    if (c.type !== 'CallBlock') throw new Error('shape');
    expect(c.params.map((p) => p.name)).toEqual(['v']);
    expect(textOf(src, c.call)).toBe("m(1, k='x')");
    expect(c.body.map((s) => s.type)).toEqual(['Text', 'Output']);
    expect(textOf(src, c.tag)).toBe("{% call(v) m(1, k='x') %}");
    expect(() => parseTemplate('{% call m %}x{% endcall %}')).toThrow(/takes a call/);
  });

  it('reports a block that is never closed at the end of the template', () => {
    expect(() => parseTemplate('{% if x %}a')).toThrow(/ends before '\{% endif %\}'/);
    expect(() => parseTemplate('{% endif %}')).toThrow(/unexpected '\{% endif %\}'/);
    expect(() => parseTemplate('{% frobnicate %}')).toThrow(/unknown statement/);
  });
});
