import { describe, expect, it } from 'vitest';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { parseIniInventory } from '../../../engine/inventory/ini.js';
import { emptyInventory, finishInventory } from '../../../engine/inventory/model.js';
import { matchPattern, splitPattern } from '../../../engine/inventory/patterns.js';

const inv = emptyInventory();
parseIniInventory(inv, 'i.ini', `
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
`);
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
