// The fast variable scan used by validation must agree with the parse-tree scan on every
// template it accepts, and throw the same errors (Jinja, {% %}).
import { describe, expect, it } from 'vitest';
import { fastRequiredVariables } from '../../../engine/template/fast-names.js';
import { parsedRequiredVariables, requiredVariables } from '../../../engine/template/references.js';

function both(text: string, condition: boolean): { fast: string[] | undefined | string; slow: string[] | string } {
  const run = <T>(f: () => T): T | string => {
    try {
      return f();
    } catch (e) {
      return `throws: ${(e as Error).message}`;
    }
  };
  return {
    fast: run(() => fastRequiredVariables(text, condition)),
    slow: run(() => parsedRequiredVariables(text, condition)),
  };
}

const TEMPLATES = [
  'plain text',
  '{{a}}',
  '{{ a.b.c }}',
  'x {{a}} y {{b.c}} z',
  '{{default a "x"}}',
  "{{default a 'x'}}",
  '{{default (upper a) b}}',
  '{{upper}}',
  '{{now}}',
  '{{ inventory_hostname }}',
  '{{eq a 1}}',
  '{{eq a -1.5}}',
  '{{eq a true}}',
  '{{eq a null}}',
  '{{eq a undefined}}',
  '{{defined a}}',
  '{{and (defined a) b}}',
  '{{join (split a ",") "-"}}',
  '{{item.0}}',
  '{{a-b}}',
  '{{ $x }}',
  '{{version_1.stdout}}',
  '{{eq(a)}}',
  '{{x (now)}}',
  '{{ (eq a b) }}',
  '{{#if a}}{{b}}{{/if}}',
  '{{#each xs}}{{this}}{{/each}}',
  '{{this}}',
  '{{this.x}}',
  '{{@index}}',
  '{{../a}}',
  '{{a.[b c]}}',
  '{{x key=v}}',
  '{{{a}}}',
  '\\{{a}}',
  '{{~a~}}',
  '{{!comment}}',
  '{{else}}',
  '{{> partial}}',
  '{{&a}}',
  '{{a "unterminated}}',
  '{{a (b}}',
  '{{a b)}}',
  '{{}}',
  '{{ }}',
  '{{a',
  'a}}',
  '{{a}} }} b',
  '{{true}}',
  '{{true.x}}',
  '{{nulls}}',
  '{{a\nb}}',
  '{{a\fb}}',
  "{{a 'it\\'s'}}",
  '{{x | default("y")}}',
  '{{ a == b }}',
  '{% if a %}x{% endif %}',
  '{{ a and b }}',
  '{{x.split(",")}}',
  '{{eq "a"b}}',
  '{{  spaced   out  }}',
  '{{ default k3s_channel "stable" }}',
  'curl {{url}} | sh',
  '{{1abc}}',
  '{{a..b}}',
  '{{a.}}',
  '{{.a}}',
];
const CONDITIONS = [
  'a',
  'a.b',
  '(eq a 1)',
  '{{eq a 1}}',
  '{{ (and a b) }}',
  'and a (not b)',
  'not (defined x)',
  '(default a false)',
  'true',
  'x == 1',
  'x is defined',
  'a and b',
  '',
  '   ',
  '{{a}} {{b}}',
  '(eq a',
  'eq a b)',
  '(or (eq a "x") (eq a "y"))',
  'item.changed',
  'now',
  'upper',
];

describe('fast variable scan', () => {
  it.each(TEMPLATES)('template %j: same names or same error as the parser (or steps aside)', (t) => {
    const { fast, slow } = both(t, false);
    if (fast === undefined) return;
    expect(fast).toEqual(slow);
  });

  it.each(CONDITIONS)('condition %j: same names or same error as the parser (or steps aside)', (t) => {
    const { fast, slow } = both(t, true);
    if (fast === undefined) return;
    expect(fast).toEqual(slow);
  });

  it('takes the common shapes itself (it is the fast path, not a no-op)', () => {
    for (const t of ['{{a}}', 'x {{a.b}} {{default c "d"}}', '{{join (split a ",") "-"}}'])
      expect(fastRequiredVariables(t, false)).toBeDefined();
    for (const t of ['a.b', '(eq a 1)', 'and a (not b)']) expect(fastRequiredVariables(t, true)).toBeDefined();
    expect(requiredVariables('x {{a.b}} {{default c d}}')).toEqual(['a', 'd']);
  });

  it('agrees with the parser on generated templates', () => {
    let seed = 7;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = [
      'a',
      'b.c',
      'item.0',
      '"s"',
      "'t'",
      '1',
      '-2.5',
      'true',
      'null',
      'this',
      '@key',
      '../up',
      'x=y',
      'default',
      'defined',
      'upper',
      'now',
      '(',
      ')',
      '|',
      '==',
      'and',
      '.',
      '[k]',
      '#if',
      '/if',
      '~',
    ];
    let accepted = 0;
    for (let n = 0; n < 3000; n++) {
      const words = Array.from({ length: 1 + rnd(5) }, () => atoms[rnd(atoms.length)]);
      const inner = words.join(rnd(3) ? ' ' : '');
      const t = rnd(4) ? `{{${inner}}}` : `pre {{${inner}}} mid {{${atoms[rnd(4)]}}}`;
      const condition = rnd(3) === 0;
      const { fast, slow } = both(condition ? inner : t, condition);
      if (fast === undefined) continue;
      accepted++;
      expect(fast, `${condition ? 'condition' : 'template'} ${JSON.stringify(condition ? inner : t)}`).toEqual(slow);
    }
    expect(accepted).toBeGreaterThan(300);
  });
});
