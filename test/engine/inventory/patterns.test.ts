import { describe, expect, it } from 'vitest';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { parseIniInventory } from '../../../engine/inventory/ini.js';
import { emptyInventory, finishInventory } from '../../../engine/inventory/model.js';
import {
  asPattern,
  HostPatternError,
  matchPattern,
  patternProblem,
  splitPattern,
} from '../../../engine/inventory/patterns.js';

const inv = emptyInventory();
parseIniInventory(
  inv,
  'i.ini',
  `
[servers]
s-1
s-2
[agents]
a-[1:4]
[arm]
s-2
a-3
a-4
[k3s:children]
servers
agents
`,
);
finishInventory(inv);
const idx = indexGroups(inv);
const m = (p: string | string[]) => matchPattern(inv, idx, p);

describe('host patterns (Ansible semantics)', () => {
  const table: [string, string[]][] = [
    ['all', ['s-1', 's-2', 'a-1', 'a-2', 'a-3', 'a-4']],
    ['*', ['s-1', 's-2', 'a-1', 'a-2', 'a-3', 'a-4']],
    ['servers', ['s-1', 's-2']],
    ['servers:agents', ['s-1', 's-2', 'a-1', 'a-2', 'a-3', 'a-4']],
    ['servers,a-1', ['s-1', 's-2', 'a-1']],
    ['k3s:&arm', ['s-2', 'a-3', 'a-4']],
    ['k3s:!arm', ['s-1', 'a-1', 'a-2']],
    ['!arm', ['s-1', 'a-1', 'a-2']],
    ['agents:!a-2:&arm', ['a-3', 'a-4']],
    ['&arm:agents', ['a-3', 'a-4']],
    ['a-*', ['a-1', 'a-2', 'a-3', 'a-4']],
    ['s-?', ['s-1', 's-2']],
    ['~a-[12]', ['a-1', 'a-2']],
    ['~^s', ['s-1', 's-2']],
    ['agents[0]', ['a-1']],
    ['agents[-1]', ['a-4']],
    ['agents[1:2]', ['a-2', 'a-3']],
    ['agents[2:]', ['a-3', 'a-4']],
    ['agents[:1]', ['a-1', 'a-2']],
    ['localhost', ['localhost']],
  ];
  it.each(table)('%s', (p, expected) => expect(m(p).hosts).toEqual(expected));

  it('takes a YAML list as a union', () => expect(m(['servers', 'a-1']).hosts).toEqual(['s-1', 's-2', 'a-1']));

  it('reports terms that match nothing', () => {
    expect(m('servers:nosuch').unmatched).toEqual(['nosuch']);
    expect(m('nosuch').hosts).toEqual([]);
  });

  it('keeps slices and regexes whole when splitting', () => {
    expect(splitPattern('agents[1:2]:~a-[0-9]:!x')).toEqual(['agents[1:2]', '~a-[0-9]:!x']);
  });
});

describe('patterns that are not well formed', () => {
  it('matches an unclosed [ literally, as fnmatch does, instead of failing', () => {
    expect(m('[').hosts).toEqual([]);
    expect(m('a-[').unmatched).toEqual(['a-[']);
    expect(patternProblem('a[1:')).toBeUndefined();
  });

  it('keeps fnmatch sets: [seq], [!seq], ranges (a bare [13] is a subscript, as in Ansible)', () => {
    expect(m('a-[1-2]').hosts).toEqual(['a-1', 'a-2']);
    expect(m('a-[!13]').hosts).toEqual(['a-2', 'a-4']);
    expect(m('?-[2-3]').hosts).toEqual(['s-2', 'a-2', 'a-3']);
    expect(m('agents[1]:a-[4-4]').hosts).toEqual(['a-2', 'a-4']);
  });

  it('names the term of a regular expression that does not compile, and a set JavaScript refuses', () => {
    expect(patternProblem('servers:~(')).toMatch(/^invalid regular expression in host pattern '~\(': /);
    expect(patternProblem('!~a[')).toMatch(/'~a\['/);
    expect(patternProblem('a-[3-1]')).toMatch(/^invalid character set in host pattern 'a-\[3-1\]'/);
    expect(() => m('~(')).toThrow(HostPatternError);
    expect(patternProblem(['servers', 'a-*', '~^s-'])).toBeUndefined();
  });
});

describe("a templated play's hosts as a pattern", () => {
  it('keeps text, gives a number its text, refuses mappings and nested lists', () => {
    expect(asPattern('web:&prod')).toBe('web:&prod');
    expect(asPattern(['a', 1, true])).toEqual(['a', '1', 'true']);
    expect(asPattern(99999999)).toBe('99999999');
    expect(() => asPattern({ a: 1 })).toThrow(
      new HostPatternError('hosts must be a host pattern (text), got a mapping'),
    );
    expect(() => asPattern(['a', ['b']])).toThrow(
      new HostPatternError('hosts[1] must be a host pattern (text), got a list'),
    );
    expect(() => asPattern(null)).toThrow(new HostPatternError('hosts must be a host pattern (text), got nothing'));
  });
});
