// -e on the command line: key=value words, @file.yaml, inline JSON or YAML; later ones win.
import { describe, expect, it } from 'vitest';
import { parseExtraVars } from '../../../engine/load/extra-vars.js';
import { tempTree } from '../../helpers/tmp.js';

describe('extra vars (-e)', () => {
  const dir = tempTree({
    'vars.yaml': 'k3s_version: v1.32.5+k3s1\nnodes: [a, b]\nforce: yes\n',
    'list.yaml': '- not\n- a mapping\n',
    'broken.yaml': 'a: [1, 2\n',
  });

  it('reads key=value words as strings, like Ansible, several per -e, quotes allowed', () => {
    const r = parseExtraVars(['k3s_channel=stable retries=3', 'msg="hello world" empty='], dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.vars).toEqual({ k3s_channel: 'stable', retries: '3', msg: 'hello world', empty: '' });
  });

  it('reads @file.yaml relative to the working directory, typed as YAML', () => {
    const r = parseExtraVars(['@vars.yaml'], dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.vars).toEqual({ k3s_version: 'v1.32.5+k3s1', nodes: ['a', 'b'], force: true });
  });

  it('reads inline JSON and YAML mappings, typed', () => {
    const r = parseExtraVars(['{"serial": 2, "hosts": ["a", "b"], "dry": false}', '{ratio: 0.5, name: x}'], dir);
    expect(r.diagnostics).toEqual([]);
    expect(r.vars).toEqual({ serial: 2, hosts: ['a', 'b'], dry: false, ratio: 0.5, name: 'x' });
  });

  it('lets later -e win over earlier ones', () => {
    expect(parseExtraVars(['a=1', '{"a": 2}', 'a=3'], dir).vars).toEqual({ a: '3' });
    expect(parseExtraVars(['@vars.yaml', 'force=no'], dir).vars.force).toBe('no');
  });

  it('explains what is wrong, and keeps the good values', () => {
    const r = parseExtraVars(['justaword', '{"a": ', '@missing.yaml', '@list.yaml', '@broken.yaml', 'ok=1'], dir);
    expect(r.vars).toEqual({ ok: '1' });
    const messages = r.diagnostics.map((d) => d.message);
    expect(messages[0]).toBe('-e \'justaword\': expected key=value, @file.yaml or {"json": ...}');
    expect(messages[1]).toBe(`-e '{"a":': not valid JSON/YAML (this '{' is never closed: add the matching '}')`);
    expect(r.diagnostics[1].hint).toBe(`write -e '{"name": "value"}', -e name=value or -e @vars.yaml`);
    expect(messages[2]).toMatch(/^extra vars file not found: .*missing\.yaml$/);
    expect(messages[3]).toBe('-e @list.yaml: the file must hold a mapping of variables');
    // A YAML error in the file points into the file.
    expect(r.diagnostics[4].message).toBe("this '[' is never closed: add the matching ']'");
    expect(r.diagnostics[4].pos).toMatchObject({ line: 1, col: 4 });
  });
});
