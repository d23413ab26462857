import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { includeVars } from '../../modules/control/include_vars.js';
import { runModule } from '../helpers/module-harness.js';
import { planFixtures } from '../helpers/plan-fixtures.js';
import { tempTree } from '../helpers/tmp.js';

planFixtures(includeVars, path.join(import.meta.dirname, 'include_vars'));

describe('include_vars from real files', () => {
  const dir = tempTree({
    'vars/k3s.yaml': 'k3s_channel: stable\nservers: [s-1, s-2]\n',
    'vars/empty.yaml': '',
    'vars/list.yaml': '- a\n- b\n',
    'vars/broken.yaml': 'a: [1, 2\nb: 3\n',
  });

  it('loads a file relative to the playbook, the same in check mode, unchanged on a second run', async () => {
    const before = readFileSync(path.join(dir, 'vars/k3s.yaml'), 'utf8');
    for (const check of [true, false, false]) {
      const r = await runModule(includeVars, 'vars/k3s.yaml', { baseDir: dir }, { check });
      expect(r).toMatchObject({
        status: 'ok',
        data: {
          ansible_facts: { k3s_channel: 'stable', servers: ['s-1', 's-2'] },
          ansible_included_var_files: [path.join(dir, 'vars/k3s.yaml')],
        },
      });
    }
    expect(readFileSync(path.join(dir, 'vars/k3s.yaml'), 'utf8')).toBe(before);
  });

  it('puts the variables under one name with name:', async () => {
    const r = await runModule(includeVars, { file: 'vars/k3s.yaml', name: 'cluster' }, { baseDir: dir });
    expect(r.data.ansible_facts).toEqual({ cluster: { k3s_channel: 'stable', servers: ['s-1', 's-2'] } });
  });

  it('an empty file defines nothing', async () => {
    const r = await runModule(includeVars, 'vars/empty.yaml', { baseDir: dir });
    expect(r).toMatchObject({ status: 'ok', data: { ansible_facts: {} } });
  });

  it('fails with the place of a YAML error, and on a file that is not a mapping', async () => {
    const broken = await runModule(includeVars, 'vars/broken.yaml', { baseDir: dir });
    expect(broken.status).toBe('failed');
    expect(broken.msg).toMatch(new RegExp(`^${path.join(dir, 'vars/broken.yaml')}:\\d+:\\d+: `));
    const list = await runModule(includeVars, 'vars/list.yaml', { baseDir: dir });
    expect(list).toMatchObject({ status: 'failed', msg: expect.stringContaining('a vars file must be a mapping') });
  });

  it('fails on a missing file, naming it', async () => {
    const r = await runModule(includeVars, 'vars/nope.yaml', { baseDir: dir });
    expect(r.status).toBe('failed');
    expect(r.msg).toContain('nope.yaml');
  });
});
