import { describe, expect, it } from 'vitest';
import { parseIniInventory } from '../../../engine/inventory/ini.js';
import { splitWords } from '../../../engine/shell-words.js';
import { emptyInventory, finishInventory } from '../../../engine/inventory/model.js';
import { pyLiteral } from '../../../engine/inventory/py-literal.js';
import { expandHostRange } from '../../../engine/inventory/ranges.js';

function parse(text: string) {
  const inv = emptyInventory();
  const diags = parseIniInventory(inv, 'hosts.ini', text);
  return { inv: finishInventory(inv), diags };
}

describe('INI inventory', () => {
  it('loads the seed-001 Proxmox inventory style unchanged', () => {
    const { inv, diags } = parse(`
[proxmox]
pve1 ansible_host=192.168.1.10 ansible_user=root

[k3s_controllers]
k3sc1 pct_id=201 node_name=k3sc1

[k3s_workers]
k3sw1 pct_id=211 node_name=k3sw1
k3sw2 pct_id=212 node_name=k3sw2   # the canary

[k3s_cluster:children]
k3s_controllers
k3s_workers

[k3s_cluster:vars]
pct_host=pve1
k3s_port=6443
`);
    expect(diags).toEqual([]);
    expect([...inv.hosts.keys()]).toEqual(['pve1', 'k3sc1', 'k3sw1', 'k3sw2']);
    expect(inv.hosts.get('k3sw2')!.vars).toEqual({ pct_id: 212, node_name: 'k3sw2' });
    expect(inv.groups.get('k3s_cluster')!.children).toEqual(['k3s_controllers', 'k3s_workers']);
    expect(inv.groups.get('k3s_cluster')!.vars).toEqual({ pct_host: 'pve1', k3s_port: 6443 });
    expect(inv.groups.get('all')!.children).toContain('k3s_cluster');
    expect(inv.groups.get('all')!.children).not.toContain('k3s_workers');
  });

  it('puts hosts before any section in ungrouped', () => {
    const { inv } = parse('lonely\n[g]\nx\n');
    expect(inv.groups.get('ungrouped')!.hosts).toEqual(['lonely']);
  });

  it('expands ranges and reads host:port', () => {
    const { inv } = parse('[w]\nw-[1:3] ansible_user=pi\nbastion:2222\n');
    expect(inv.groups.get('w')!.hosts).toEqual(['w-1', 'w-2', 'w-3', 'bastion']);
    expect(inv.hosts.get('w-2')!.vars).toEqual({ ansible_user: 'pi' });
    expect(inv.hosts.get('bastion')!.vars).toEqual({ ansible_port: 2222 });
  });

  it('reports malformed lines with their line numbers, all at once', () => {
    const { diags } = parse('[g]\nh1 novalue\n[g:vars]\njustaword\n[x:children]\nnosuch\n[g:weird]\n');
    expect(diags.map((d) => [d.pos?.line, d.pos?.col, d.message])).toEqual([
      [2, 4, "host variable 'novalue' has no value: expected key=value"],
      [4, 1, "expected key=value in [g:vars], got 'justaword'"],
      [7, 1, "unknown section type ':weird' (use [g], [g:vars] or [g:children])"],
      [6, 1, "section [x:children] includes undefined group 'nosuch'"],
    ]);
    expect(diags[0].hint).toBe('write novalue=VALUE (host lines are: name key=value key=value ...)');
    expect(diags[3].hint).toBe('declare it with a [nosuch] section listing its hosts, or remove it from [x:children]');
  });

  it('refuses vars for a group that does not exist', () => {
    const { diags } = parse('[a]\nh\n[b:vars]\nx=1\n');
    expect(diags[0].message).toBe("section [b:vars] is not valid for undefined group 'b'");
    expect(diags[0].pos).toMatchObject({ line: 3, col: 2 });
    // A near miss of a group that exists gets a did-you-mean.
    expect(parse('[web]\nh\n[wbe:vars]\nx=1\n').diags[0].hint).toBe("did you mean 'web'?");
  });
});

describe('typed values (Python literals, like ast.literal_eval)', () => {
  const table: [string, unknown][] = [
    ['6443', 6443],
    ['-1', -1],
    ['1.5', 1.5],
    ['True', true],
    ['False', false],
    ['None', null],
    ['"quoted"', 'quoted'],
    ["'single'", 'single'],
    ['[1, "a"]', [1, 'a']],
    ["{'k': 1}", { k: 1 }],
    ['0x1F', 31],
    ['0644', '0644'],
    ['true', 'true'],
    ['v1.32.5+k3s1', 'v1.32.5+k3s1'],
    ['a # comment', 'a # comment'],
    ['192.168.1.10', '192.168.1.10'],
  ];
  it.each(table)('%s', (text, expected) => expect(pyLiteral(text)).toEqual(expected));
});

describe('host ranges', () => {
  const table: [string, string[]][] = [
    ['w-[1:3]', ['w-1', 'w-2', 'w-3']],
    ['db[01:03].lan', ['db01.lan', 'db02.lan', 'db03.lan']],
    ['n[a:c]', ['na', 'nb', 'nc']],
    ['x[0:6:3]', ['x0', 'x3', 'x6']],
    ['r[1:2]c[1:2]', ['r1c1', 'r1c2', 'r2c1', 'r2c2']],
    ['plain', ['plain']],
  ];
  it.each(table)('%s', (p, expected) => expect(expandHostRange(p)).toEqual(expected));
  it('refuses a backwards range', () => expect(() => expandHostRange('w-[3:1]')).toThrow(/start is after end/));
});

describe('splitWords', () => {
  it('honours quotes and drops comments', () => {
    expect(splitWords(`h a="b c" d='e#f' # gone`)).toEqual(['h', 'a=b c', 'd=e#f']);
  });
});
