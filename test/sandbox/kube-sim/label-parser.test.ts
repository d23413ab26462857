// labels.Parse's grammar and messages (k8s.io/apimachinery/pkg/labels/selector.go).
import { describe, expect, it } from 'vitest';
import { Parser } from '../../../sandbox/kube-sim/api/label-parser.js';

const parse = (s: string) => new Parser(s).parse();
const error = (s: string) => {
  try {
    parse(s);
  } catch (e) {
    return (e as Error).message;
  }
  return 'parsed';
};

describe('label selector parser', () => {
  it('reads every operator', () => {
    expect(parse('a=1,b==2,c!=3,d in (x, y),e notin (z),f,!g,h>4')).toEqual([
      { key: 'a', op: 'in', values: ['1'] },
      { key: 'b', op: 'in', values: ['2'] },
      { key: 'c', op: 'notin', values: ['3'] },
      { key: 'd', op: 'in', values: ['x', 'y'] },
      { key: 'e', op: 'notin', values: ['z'] },
      { key: 'f', op: 'exists' },
      { key: 'g', op: '!exists' },
      { key: 'h', op: 'gt', values: ['4'] },
    ]);
    expect(parse('node-role.kubernetes.io/control-plane=true')).toEqual([
      { key: 'node-role.kubernetes.io/control-plane', op: 'in', values: ['true'] },
    ]);
  });

  it.each([
    ['==bad', "found '==', expected: !, identifier, or 'end of string'"], // transcript 14
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['a in x', "unable to parse requirement: found 'x' expected: '('"],
    ['a=b c', "found 'c', expected: ',' or 'end of string'"],
    ['a=b,', "found '', expected: identifier after ','"],
    [
      '-a=b',
      "unable to parse requirement: <nil>: Invalid value: \"-a\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
    ],
    [
      'a=-b',
      "unable to parse requirement: values[0][a]: Invalid value: \"-b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
    ],
  ])('refuses %s', (input, message) => {
    expect(error(input)).toBe(message);
  });
});
