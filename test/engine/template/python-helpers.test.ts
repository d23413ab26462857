// The helpers with Python's and Jinja's meaning that translated Ansible expressions use
// (engine/jinja): what each gives, and the errors Python would raise instead of a wrong value.
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../../engine/errors.js';
import { createTemplater, LazyVars, MISSING, Scope } from '../../../engine/template/index.js';

const t = createTemplater();
const vars = new Scope([
  {
    l: ['a', 'b', 'c', 'd'],
    s: 'hello',
    m: { k: { deep: 1 }, 'odd key': 2 },
    hv: new LazyVars(
      (h) => (h === 'w1' ? { ansible_host: '10.0.0.7' } : MISSING),
      () => ['w1'],
    ),
    n: 7,
    nil: null,
  },
]);
const r = (text: string) => t.render(text, vars);

describe('helpers with Python meaning', () => {
  const table: [string, unknown][] = [
    ["{{at m 'k' 'deep'}}", 1],
    ["{{at m 'odd key'}}", 2],
    ['{{at l -1}}', 'd'],
    ['{{at s 1}}', 'e'],
    ["{{at hv 'w1' 'ansible_host'}}", '10.0.0.7'],
    ["{{default (at hv 'w2' 'ansible_host') 'w2'}}", 'w2'],
    ["{{default (at m 'k' 'shallow') 'none'}}", 'none'],
    ['{{plus 1 2}}', 3],
    ["{{plus 'a' 'b'}}", 'ab'],
    ['{{plus (list 1) (list 2)}}', [1, 2]],
    ['{{floordiv 7 2}}', 3],
    ['{{floordiv -7 2}}', -4],
    ['{{mod -7 3}}', 2],
    ['{{mod 7 -3}}', -2],
    ['{{pow 2 10}}', 1024],
    ['{{abs -3}}', 3],
    ['{{slice l 1 3 null}}', ['b', 'c']],
    ['{{slice l null null -1}}', ['d', 'c', 'b', 'a']],
    ['{{slice l -2 null null}}', ['c', 'd']],
    ['{{slice s 1 null 2}}', 'el'],
    ['{{reverse l}}', ['d', 'c', 'b', 'a']],
    ['{{reverse s}}', 'olleh'],
    ["{{capitalize 'hELLO world'}}", 'Hello world'],
    ["{{title 'k3s control-plane'}}", 'K3s Control-Plane'],
    ['{{iter m}}', ['k', 'odd key']],
    ['{{iter s}}', ['h', 'e', 'l', 'l', 'o']],
    ["{{map l 'upper'}}", ['A', 'B', 'C', 'D']],
    ["{{map (list 'a,b' 'c') 'split' ','}}", [['a', 'b'], ['c']]],
    [
      '{{dict2items (dict a=1 b=2)}}',
      [
        { key: 'a', value: 1 },
        { key: 'b', value: 2 },
      ],
    ],
    ['{{items2dict (dict2items (dict a=1)) }}', { a: 1 }],
    ["{{dict2items (dict a=1) key_name='k' value_name='v'}}", [{ k: 'a', v: 1 }]],
    ["{{if (gt n 5) 'big' 'small'}}", 'big'],
    // Only the branch taken is evaluated: the other may name an undefined variable.
    ["{{if true 'ok' nowhere}}", 'ok'],
  ];
  it.each(table)('%s', (text, want) => expect(r(text)).toEqual(want));

  const errors: [string, RegExp][] = [
    ["{{at m 'nope'}}", /has no "nope"/],
    ["{{plus 'a' 1}}", /cannot add a string and a number/],
    ['{{floordiv 1 0}}', /division by zero/],
    ['{{mod 1 0}}', /modulo by zero/],
    ['{{slice n 1 2 null}}', /needs a list or a string/],
    ["{{map l 'nope'}}", /no helper named nope/],
    ['{{iter n}}', /cannot iterate over a number/],
    ["{{if true 'a'}}", /three arguments/],
  ];
  it.each(errors)('%s fails', (text, msg) => expect(() => r(text)).toThrow(msg));

  it('a missing key from (at ...) is an undefined variable, as Jinja says', () => {
    try {
      r("{{at m 'nope'}}");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      expect((e as TemplateError).code).toBe('E_UNDEFINED');
      expect((e as TemplateError).hint).toMatch(/it has: k, odd key/);
    }
  });
});
