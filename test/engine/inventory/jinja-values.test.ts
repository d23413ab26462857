// Jinja values in inventories are translated when loaded (INI, YAML, group_vars/, host_vars/),
// each noted once with its file:line; what cannot be translated loads as an UntranslatedJinja,
// an error only when read, naming the variable, where it was written and why.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TemplateError } from '../../../engine/errors.js';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { inventoryVars } from '../../../engine/inventory/host-vars.js';
import { loadInventory } from '../../../engine/inventory/load.js';
import { UntranslatedJinja } from '../../../engine/jinja/index.js';
import { createTemplater, LazyVars, MISSING, Scope } from '../../../engine/template/index.js';
import { tempTree } from '../../helpers/tmp.js';

const dir = tempTree({
  'hosts.ini': [
    '[server]',
    's1 ansible_host=10.0.0.1 label="{{ \'a\' | upper }}"',
    's2',
    '',
    '[server:vars]',
    "peers={{ groups['server'] | length - 1 }}",
    '',
  ].join('\n'),
  'group_vars/all.yml': [
    "api_endpoint: \"{{ hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0]) }}\"",
    'plain: "{{ api_endpoint }}"',
    'handlebars: "{{default missing \'hb\'}}"',
    'nested:',
    '  - "{{ api_endpoint ~ \':6443\' }}"',
    'query: "{{ pods | to_uuid }}"',
    '',
  ].join('\n'),
  'host_vars/s2.yml': 'who: "{{ inventory_hostname | upper }}"\n',
});

const loaded = loadInventory([path.join(dir, 'hosts.ini')]);
const inv = loaded.inventory;
const idx = indexGroups(inv);
const t = createTemplater();

/** A host's scope as run builds it: hostvars read other hosts' variables lazily. */
function scopeOf(host: string): Scope {
  const hosts = () => [...inv.hosts.keys()];
  const hostvars = new LazyVars(
    (h) =>
      inv.hosts.has(h)
        ? new LazyVars(
            (k) => (scopeOf(h).has(k) ? t.variable(k, scopeOf(h)) : MISSING),
            () => scopeOf(h).names(),
          )
        : MISSING,
    hosts,
  );
  const groups = { server: ['s1', 's2'] };
  return new Scope([{ inventory_hostname: host, groups, hostvars }, inventoryVars(inv, idx, host)]);
}

describe('Jinja in inventory values', () => {
  it('loads without a diagnostic, even the value it cannot translate', () => {
    expect(loaded.diagnostics).toEqual([]);
  });

  it('translates INI host vars, INI group vars, group_vars and host_vars, and evaluates them', () => {
    expect(t.variable('label', scopeOf('s1'))).toBe('A');
    expect(t.variable('peers', scopeOf('s1'))).toBe(1);
    expect(t.variable('api_endpoint', scopeOf('s2'))).toBe('10.0.0.1');
    expect(t.variable('nested', scopeOf('s2'))).toEqual(['10.0.0.1:6443']);
    expect(t.variable('who', scopeOf('s2'))).toBe('S2');
    // herdbook's own Handlebars is left alone.
    expect(t.variable('handlebars', scopeOf('s1'))).toBe('hb');
  });

  it('notes each translated value once with where it was written', () => {
    const notes = [...inv.translations, ...(inv.varsFiles.translations ?? [])].map((n) => ({
      variable: n.variable,
      at: `${path.basename(n.pos?.file ?? '')}:${n.pos?.line}:${n.pos?.col}`,
      handlebars: n.handlebars,
    }));
    expect(notes).toEqual([
      { variable: 'label', at: 'hosts.ini:2:32', handlebars: "{{upper 'a'}}" },
      { variable: 'peers', at: 'hosts.ini:6:7', handlebars: '{{sub (length groups.server) 1}}' },
      {
        variable: 'api_endpoint',
        at: 'all.yml:1:15',
        handlebars: "{{default (at hostvars groups.server.[0] 'ansible_host') groups.server.[0]}}",
      },
      { variable: 'nested[0]', at: 'all.yml:5:5', handlebars: "{{pyconcat api_endpoint ':6443'}}" },
      { variable: 'who', at: 's2.yml:1:6', handlebars: '{{upper inventory_hostname}}' },
    ]);
  });

  it('keeps what it cannot translate as written, and refuses it when read', () => {
    const raw = inventoryVars(inv, idx, 's1').query;
    expect(raw).toBeInstanceOf(UntranslatedJinja);
    expect(JSON.stringify(raw)).toBe(JSON.stringify('{{ pods | to_uuid }}'));
    try {
      t.variable('query', scopeOf('s1'));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TemplateError);
      const err = e as TemplateError;
      expect(err.code).toBe('E_JINJA');
      expect(err.message).toBe(
        `variable 'query' is Jinja herdbook cannot translate (${path.join(dir, 'group_vars/all.yml')}:6): to_uuid: the filter 'to_uuid' has no herdbook helper of the same meaning yet`,
      );
      expect(err.hint).toMatch(/Handlebars/);
    }
    // Through another variable too: the chain names the one that holds the Jinja.
    expect(() => t.render('{{query}}', scopeOf('s1'))).toThrow(/variable 'query'/);
  });
});
