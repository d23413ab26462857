// `herdbook convert` as a user runs it: --out, --in-place, --check with diffs and
// --detailed-exitcode, NDJSON, exit codes; and validate naming the convert command for Jinja.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempTree } from '../helpers/tmp.js';
import { expectNoCrash, herdbook } from './run-cli.js';

const K3S = path.resolve(import.meta.dirname, '../fixtures/convert/k3s-repo');

const small = () =>
  tempTree({
    'site.yml':
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - name: hi\n      ansible.builtin.debug:\n        msg: "{{ who | default(\'x\') }}"\n',
    'ansible.cfg': '[defaults]\nnocows = True\n',
  });

describe('herdbook convert', () => {
  it('--check shows a unified diff, writes nothing; --detailed-exitcode exits 10', () => {
    const dir = small();
    const before = readFileSync(path.join(dir, 'site.yml'), 'utf8');
    const r = herdbook(['convert', 'site.yml', '--check', '--detailed-exitcode'], dir);
    expectNoCrash(r);
    expect(r.stdout).toContain('--- site.yml (before)\n+++ site.yml (after)\n');
    expect(r.stdout).toContain(
      '-      ansible.builtin.debug:\n-        msg: "{{ who | default(\'x\') }}"\n+      debug:\n',
    );
    expect(r.stdout).toContain(`+        msg: "{{default who 'x'}}"`);
    expect(r.stdout).toMatch(/2 of 2 constructs converted, 0 left \(1 files read\); 1 file would change\n$/);
    expect(r.code).toBe(10);
    expect(readFileSync(path.join(dir, 'site.yml'), 'utf8')).toBe(before);
    expect(herdbook(['convert', 'site.yml', '--check'], dir).code).toBe(0);
  });

  it('--in-place rewrites; a second run finds nothing to change (exit 0, no diff)', () => {
    const dir = small();
    const r = herdbook(['convert', 'site.yml', '--in-place'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'site.yml'), 'utf8')).toContain(`msg: "{{default who 'x'}}"`);
    const again = herdbook(['convert', 'site.yml', '--check', '--detailed-exitcode'], dir);
    expect(again.stdout).not.toContain('---');
    expect(again.code).toBe(0);
    expect(herdbook(['validate', 'site.yml'], dir).code).toBe(0);
  });

  it('--out copies the tree (ansible.cfg byte for byte) with the converted files', () => {
    const dir = small();
    const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'hb-conv-out-')), 'converted');
    const r = herdbook(['convert', 'site.yml', '--out', out], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(out, 'ansible.cfg'), 'utf8')).toBe('[defaults]\nnocows = True\n');
    expect(readFileSync(path.join(out, 'site.yml'), 'utf8')).toContain('debug:');
    expect(readFileSync(path.join(dir, 'site.yml'), 'utf8')).toContain('ansible.builtin.debug:');
  });

  it('--out inside the tree being converted (--out converted): the tree is copied without the output itself', () => {
    const dir = small();
    for (const out of ['converted', 'build/converted']) {
      const r = herdbook(['convert', 'site.yml', '--out', out], dir);
      expectNoCrash(r);
      expect(r.code, r.stderr).toBe(0);
      expect(readFileSync(path.join(dir, out, 'site.yml'), 'utf8')).toContain('debug:');
      expect(readFileSync(path.join(dir, out, 'ansible.cfg'), 'utf8')).toBe('[defaults]\nnocows = True\n');
      expect(existsSync(path.join(dir, out, out))).toBe(false);
    }
    expect(herdbook(['convert', 'site.yml', '--out', '.'], dir).code).toBe(5);
  });

  it('--output json: one event per item, the summary last; exit 2 when something is left', () => {
    const dir = tempTree({
      'site.yml':
        '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: "{{ x | frobnicate }}"}\n      when: y is defined\n',
    });
    const r = herdbook(['convert', 'site.yml', '--check', '-o', 'json'], dir);
    expectNoCrash(r);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.at(-1)).toEqual({ type: 'summary', constructs: 2, converted: 1, left: 1, unresolved: 0 });
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'left',
        file: 'site.yml',
        line: 4,
        what: 'template',
        jinja: expect.stringContaining('frobnicate'),
      }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'converted', what: 'condition', herdbook: '(defined y)' }),
    );
    expect(r.code).toBe(2);
  });

  it('one text line per construct left: file:line:col, the Jinja, why', () => {
    const dir = tempTree({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: "{{ x | frobnicate }}"}\n',
    });
    const r = herdbook(['convert', 'site.yml', '--check'], dir);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^site\.yml:4:\d+: left template: .*frobnicate.*: the filter 'frobnicate' has no herdbook helper/,
    );
  });

  it('exit 4 with file:line:col for YAML it cannot read; exit 5 without a mode', () => {
    const dir = tempTree({ 'site.yml': '- hosts: all\n  tasks: [\n' });
    const r = herdbook(['convert', 'site.yml', '--check'], dir);
    expectNoCrash(r);
    expect(r.stderr).toMatch(/^site\.yml:3:\d+: error: YAML: /);
    expect(r.code).toBe(4);
    expect(herdbook(['convert', 'site.yml'], dir).code).toBe(5);
    expect(herdbook(['convert', 'missing.yml', '--check'], dir).code).toBe(4);
  });

  it('validate names the convert command that fixes Jinja', () => {
    const dir = tempTree({
      'site.yml': '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: "{{ x | lower }}"}\n',
    });
    const r = herdbook(['validate', 'site.yml', '-i', 'localhost,'], dir);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      '; or translate every Jinja expression of these playbooks: herdbook convert site.yml -i localhost, --check, then herdbook convert site.yml -i localhost, --in-place',
    );
    writeFileSync(
      path.join(dir, 'site.yml'),
      '- hosts: all\n  gather_facts: false\n  tasks:\n    - debug: {msg: "{{ x }}"}\n',
    );
    expect(herdbook(['validate', 'site.yml'], dir).stderr).not.toContain('herdbook convert');
  });

  it('the k3s repository: converted output validates (community.general.timezone included)', () => {
    const work = mkdtempSync(path.join(os.tmpdir(), 'hb-conv-k3s-'));
    cpSync(K3S, work, { recursive: true });
    const out = path.join(work, '..', `${path.basename(work)}-out`);
    const r = herdbook(['convert', 'site.yml', '-i', 'inventory/hosts.yml', '--out', out], work);
    expect(r.stdout).toMatch(/99 of 99 constructs converted, 0 left, 1 references not followed/);
    expect(r.code).toBe(2);
    expect(existsSync(path.join(out, 'vault-password'))).toBe(true);
    const v = herdbook(['validate', 'site.yml', '-i', 'inventory/hosts.yml'], out);
    // Ansible's fact names (ansible_os_family, ansible_hostname, ansible_all_ipv6_addresses) are
    // herdbook's facts too, and timezone is a module herdbook has: nothing stops it.
    expect(v.stderr.split('\n').filter((l) => / error: /.test(l))).toEqual([]);
    expect(v.code).toBe(0);
    expect(readFileSync(path.join(out, 'site.yml'), 'utf8')).toContain('  hosts: server\n  gather_facts: true\n');
  });
});
