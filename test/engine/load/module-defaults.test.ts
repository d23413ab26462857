// module_defaults folded as ansible-core 2.14 folds them (checked against ansible-playbook in
// test/conformance/cases/module-defaults-precedence): outer → inner, the innermost entry for a
// module replacing outer ones whole, the task's own arguments over it.
import { describe, expect, it } from 'vitest';
import { argsWithDefaults, defaultsModuleName, moduleDefaultsFor } from '../../../engine/load/module-defaults.js';
import { attachInfo, valuePos } from '../../../engine/load/positions.js';

describe('moduleDefaultsFor', () => {
  it('takes the innermost entry for the module, whole, whatever name it is written under', () => {
    const play = { debug: { msg: 'play', verbosity: 1 }, copy: { mode: '0600' } };
    const block = { 'ansible.builtin.debug': { verbosity: 0 } };
    expect(moduleDefaultsFor([play], 'debug')).toEqual({ msg: 'play', verbosity: 1 });
    // The block's entry replaces the play's: msg does not survive (as in Ansible).
    expect(moduleDefaultsFor([play, block], 'debug')).toEqual({ verbosity: 0 });
    expect(moduleDefaultsFor([play, block], 'copy')).toEqual({ mode: '0600' });
    expect(moduleDefaultsFor([play, undefined, { 'ansible.legacy.copy': { mode: '0644' } }], 'copy')).toEqual({
      mode: '0644',
    });
    expect(moduleDefaultsFor([play], 'file')).toBeUndefined();
  });

  it('reads a list of mappings (later ones win) and an empty entry as one that sets nothing', () => {
    expect(moduleDefaultsFor([[{ debug: { msg: 'a' } }, { debug: { msg: 'b' } }]], 'debug')).toEqual({ msg: 'b' });
    expect(moduleDefaultsFor([{ debug: { msg: 'a' } }, { debug: null }], 'debug')).toEqual({});
    expect(moduleDefaultsFor(['not a mapping', 3, null], 'debug')).toBeUndefined();
  });

  it('names: ansible.builtin and ansible.legacy are herdbook modules, other collections stay as written', () => {
    expect(defaultsModuleName('ansible.builtin.copy')).toBe('copy');
    expect(defaultsModuleName('ansible.legacy.copy')).toBe('copy');
    expect(defaultsModuleName('kubernetes.core.k8s')).toBe('kubernetes.core.k8s');
  });
});

describe('argsWithDefaults', () => {
  it("puts the entry under the task's arguments, key by key", () => {
    expect(argsWithDefaults({ dest: '/x', mode: '0640' }, { mode: '0600', owner: 'root' }, '_raw_params')).toEqual({
      mode: '0640',
      owner: 'root',
      dest: '/x',
    });
    expect(argsWithDefaults(null, { msg: 'd' }, '_raw_params')).toEqual({ msg: 'd' });
    expect(argsWithDefaults({}, undefined, '_raw_params')).toEqual({});
  });

  it('keeps a free-form string as the free-form argument, and leaves other shapes to the schema', () => {
    expect(argsWithDefaults('touch x', { chdir: '/tmp' }, '_raw_params')).toEqual({
      chdir: '/tmp',
      _raw_params: 'touch x',
    });
    expect(argsWithDefaults(['a'], { chdir: '/tmp' }, '_raw_params')).toEqual(['a']);
  });

  it('never changes the objects it was given, and carries the positions of both', () => {
    const entry = { mode: '0600' };
    const own = { dest: '/x' };
    attachInfo(entry, {
      pos: { file: 'p.yaml', line: 4, col: 7 },
      values: { mode: { file: 'p.yaml', line: 4, col: 13 } },
    });
    attachInfo(own, {
      pos: { file: 'p.yaml', line: 9, col: 9 },
      values: { dest: { file: 'p.yaml', line: 9, col: 15 } },
    });
    const merged = argsWithDefaults(own, entry, '_raw_params');
    expect(entry).toEqual({ mode: '0600' });
    expect(own).toEqual({ dest: '/x' });
    expect(valuePos(merged, 'mode')).toEqual({ file: 'p.yaml', line: 4, col: 13 });
    expect(valuePos(merged, 'dest')).toEqual({ file: 'p.yaml', line: 9, col: 15 });
  });
});
