// engine/convert on real files: what a playbook reaches is converted, the rest of each file is
// kept byte for byte, what cannot be translated is listed with file:line:col, and converting the
// output again changes nothing.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { translateTemplate } from '../../../engine/jinja/index.js';
import { convertPaths, type ConvertResult } from '../../../engine/convert/index.js';
import { argument } from '../../../engine/convert/modules.js';
import { summarize, type ConvertItem } from '../../../engine/convert/report.js';
import { createSchemaRegistry } from '../../../engine/validate/schemas.js';
import { tempTree } from '../../helpers/tmp.js';

const schemas = createSchemaRegistry().modules;
const K3S = path.resolve(import.meta.dirname, '../../fixtures/convert/k3s-repo');

function convert(dir: string, files: string[], inventories: string[] = []): ConvertResult {
  return convertPaths(
    files.map((f) => path.join(dir, f)),
    { schemas, inventories: inventories.map((i) => path.join(dir, i)) },
  );
}

const after = (r: ConvertResult, dir: string, file: string) =>
  r.files.find((f) => f.file === path.join(dir, file))!.after;
const lefts = (r: ConvertResult) =>
  r.items.filter((i): i is Extract<ConvertItem, { type: 'left' }> => i.type === 'left');

describe('herdbook convert: one file', () => {
  const dir = tempTree({
    'site.yml': [
      '---',
      '# the cluster',
      '- name: Prep   # trailing comment',
      '  hosts: all',
      '  vars:',
      '    greeting: \'hello {{ who | default("world") }}\'',
      '    secret: !vault |',
      '      $ANSIBLE_VAULT;1.1;AES256',
      '      6162636465',
      '    plain: just text',
      '  tasks:',
      '    - name: Say it',
      '      ansible.builtin.debug:',
      '        msg: "{{ greeting | upper }}"',
      '      when: greeting is defined and who|default("") != "nobody"',
      '',
      '    - name: Bare condition',
      '      ansible.builtin.debug:',
      '        msg: >-',
      '          {{ items_list | join(",") }}',
      '          and more',
      '      when: enabled',
      '',
      '    - name: Script',
      '      ansible.builtin.shell: |',
      '        echo {{ inventory_hostname }}',
      '        echo {{ groups["all"] | length }}',
      '',
      '    - name: Sysctl by its old argument names',
      '      ansible.posix.sysctl:',
      '        key: vm.swappiness',
      '        val: 10',
      '        unknown_arg: 1',
      '',
      '    - name: Not a herdbook module',
      '      community.general.nmcli:',
      '        conn_name: eth0',
      '',
    ].join('\n'),
  });
  const r = convert(dir, ['site.yml']);
  const text = after(r, dir, 'site.yml');

  it('rewrites only the scalars that change, in their own style; comments and !vault stay', () => {
    expect(text).toBe(
      [
        '---',
        '# the cluster',
        '- name: Prep   # trailing comment',
        '  hosts: all',
        '  gather_facts: true',
        '  vars:',
        "    greeting: 'hello {{pystr (default who ''world'')}}'",
        '    secret: !vault |',
        '      $ANSIBLE_VAULT;1.1;AES256',
        '      6162636465',
        '    plain: just text',
        '  tasks:',
        '    - name: Say it',
        '      debug:',
        '        msg: "{{upper greeting}}"',
        "      when: (and (defined greeting) (ne (default who '') 'nobody'))",
        '',
        '    - name: Bare condition',
        '      debug:',
        '        msg: >-',
        "          {{join_str items_list ','}} and more",
        '      when: enabled',
        '',
        '    - name: Script',
        // The translation adds the final newline itself: clip would add a second one.
        '      shell: |-',
        '        {{#ensure_newlines 1}}echo {{pystr inventory_hostname}}',
        '        echo {{pystr (length groups.all)}}{{/ensure_newlines}}',
        '',
        '    - name: Sysctl by its old argument names',
        '      sysctl:',
        '        name: vm.swappiness',
        '        value: 10',
        '        unknown_arg: 1',
        '',
        '    - name: Not a herdbook module',
        '      community.general.nmcli:',
        '        conn_name: eth0',
        '',
      ].join('\n'),
    );
  });

  it('a block value reads back as exactly its translation: the chomping follows its final newlines', () => {
    const block = (header: string, lines: string[]) => [
      '- hosts: all',
      '  tasks:',
      '    - copy:',
      `        content: ${header}`,
      ...lines.map((l) => `          ${l}`),
    ];
    const src = [
      ...block('|', ['{% for s in servers %}', '{{ s }}', '{% endfor %}']),
      ...block('|+', ['{{ a }}', '', '']).slice(2),
      ...block('>-', ['{{ a }}', 'b']).slice(2),
      '',
    ].join('\n');
    const d = tempTree({ 'site.yml': src });
    const out = after(convert(d, ['site.yml']), d, 'site.yml');
    const values = (yaml: string) =>
      (parse(yaml) as { tasks: { copy: { content: string } }[] }[])[0].tasks.map((t) => t.copy.content);
    const want = values(src).map((v) => {
      const t = translateTemplate(v);
      return t.kind === 'translated' ? t.text : t.kind;
    });
    expect(values(out)).toEqual(want);
    expect(want[0]).toMatch(/\{\{\/ensure_newlines\}\}$/);
  });

  it('lists what it left with file:line:col, why and what to write', () => {
    const l = lefts(r).map((i) => `${path.basename(i.file)}:${i.line}:${i.col} ${i.what} ${i.jinja}: ${i.why}`);
    expect(l).toEqual([
      "site.yml:33:9 argument unknown_arg: herdbook's sysctl has no argument 'unknown_arg' (validation would refuse it)",
      "site.yml:36:7 module community.general.nmcli: module 'community.general.nmcli' is not one herdbook implements",
    ]);
    // The list grows with every community.general module herdbook implements.
    expect(lefts(r)[1].write).toMatch(/^from community.general, herdbook implements: .*community.general.modprobe/);
  });

  it('counts constructs: converted plus left', () => {
    const s = summarize(r.items);
    expect(s).toEqual({ type: 'summary', constructs: s.converted + 2, converted: s.converted, left: 2, unresolved: 0 });
    // gather_facts, greeting, msg, when, msg, when (bare), shell; 4 module names (nmcli is left); 2 arguments.
    expect(s.converted).toBe(13);
  });

  it('a bare `when: var` stays as written (herdbook requires a boolean there, as Ansible 2.19 does)', () => {
    expect(text).toContain('      when: enabled\n');
    expect(r.items).toContainEqual(
      expect.objectContaining({ type: 'converted', what: 'condition', jinja: 'enabled', herdbook: 'enabled' }),
    );
  });

  it('a bare `when:` on a fact that is a list or a mapping becomes the test Ansible 2.14 made: not empty', () => {
    const dir = tempTree({
      'site.yml': [
        '- hosts: all',
        '  tasks:',
        '    - {name: a, debug: {msg: x}, when: ansible_all_ipv6_addresses}',
        '    - {name: b, debug: {msg: x}, when: "{{ ansible_facts[\'default_ipv4\'] }}"}',
        '    - {name: c, debug: {msg: x}, when: not ansible_interfaces}',
        '    - {name: d, debug: {msg: x}, when: ansible_hostname}',
        '',
      ].join('\n'),
    });
    const out = after(convert(dir, ['site.yml']), dir, 'site.yml');
    expect(out).toContain('when: (gt (length ansible_all_ipv6_addresses) 0)}');
    expect(out).toContain('when: "(gt (length ansible_facts.default_ipv4) 0)"}');
    // `not` takes any value's truthiness already; a string fact stays an error at run time (README).
    expect(out).toContain('when: not ansible_interfaces}');
    expect(out).toContain('when: ansible_hostname}');
    const again = tempTree({ 'site.yml': out });
    expect(after(convert(again, ['site.yml']), again, 'site.yml')).toBe(out);
  });

  it('converting the output again changes nothing', () => {
    const again = tempTree({ 'site.yml': text });
    const r2 = convert(again, ['site.yml']);
    expect(after(r2, again, 'site.yml')).toBe(text);
  });
});

describe('herdbook convert: with_* loops, as the migration guide maps them', () => {
  const task = (loop: string) => `    - debug: {msg: "{{ item }}"}\n      ${loop}\n`;
  const loops = [
    'with_list: [a, b]',
    'with_items: [a, b]',
    'with_items: "{{ pkgs }}"',
    'with_dict: "{{ users }}"',
    'with_flattened: "{{ nested }}"',
    'with_sequence: start=0 end=4 stride=2',
    'with_sequence: count=3',
    'with_sequence: start=1 end=3 format=host%02d',
    'with_indexed_items: "{{ l }}"',
    'with_subelements: ["{{ users }}", "keys"]',
    'with_nested: ["{{ a }}", [x, y]]',
    'with_together: ["{{ a }}", "{{ b }}"]',
    'with_fileglob: "/etc/*.conf"',
    'with_first_found: [a.yml, b.yml]',
    'with_lines: cat /etc/hosts',
    // Ansible keeps a playbook value's backslashes as written: printf sees \n, not \\n.
    "with_lines: printf 'a\\nb'",
  ];
  // with_first_found on a template task looks in templates/ (Ansible sets the lookup's subdir from the action).
  const templateTask = '    - template: {src: "{{ item }}", dest: /tmp/x}\n      with_first_found: [a.j2, b.j2]\n';
  const dir = tempTree({
    'loops.yml': `- hosts: all\n  tasks:\n${loops.map(task).join('')}${templateTask}`,
  });
  const r = convert(dir, ['loops.yml']);
  const out = after(r, dir, 'loops.yml');
  const loopItems = r.items.filter((i) => 'what' in i && i.what === 'loop');

  it('maps each form, or lists it with the reason', () => {
    const lines = out.split('\n').filter((l) => /^ {6}(loop|with_)/.test(l));
    expect(lines).toEqual([
      '      loop: [a, b]',
      '      loop: [a, b]',
      '      loop: "{{flatten_by pkgs levels=1}}"',
      '      loop: "{{dict2items users}}"',
      '      loop: "{{flatten_by nested}}"',
      '      loop: "{{range 0 5 2}}"',
      '      loop: "{{range 1 4 1}}"',
      '      with_sequence: start=1 end=3 format=host%02d',
      '      with_indexed_items: "{{ l }}"',
      '      loop: "{{subelements users \'keys\'}}"',
      // PyYAML's booleans: `y` stays a string (the yaml package's YAML 1.1 schema made it true).
      "      loop: \"{{product a (list 'x' 'y')}}\"",
      '      loop: "{{zip a b}}"',
      "      loop: \"{{ansible_query 'fileglob' '/etc/*.conf'}}\"",
      "      loop: \"{{ansible_query 'first_found' 'a.yml' 'b.yml'}}\"",
      "      loop: \"{{ansible_query 'lines' 'cat /etc/hosts'}}\"",
      '      loop: "{{ansible_query \'lines\' \\"printf \'a\\\\nb\'\\"}}"',
      "      loop: \"{{ansible_query 'first_found' 'a.j2' 'b.j2' subdir='templates'}}\"",
    ]);
    expect(loopItems).toHaveLength(loops.length + 1);
    const left = loopItems.filter((i) => i.type === 'left').map((i) => (i as { why: string }).why);
    expect(left).toHaveLength(2);
    expect(left[0]).toMatch(/with_sequence with format/);
    expect(left[1]).toMatch(/with_indexed_items/);
  });

  it('is a fixed point', () => {
    const again = tempTree({ 'loops.yml': out });
    expect(after(convert(again, ['loops.yml']), again, 'loops.yml')).toBe(out);
  });
});

describe('herdbook convert: the walk', () => {
  const dir = tempTree({
    'site.yml': [
      '- import_playbook: more.yml',
      '- hosts: all',
      '  vars_files: [vars/main.yml]',
      '  roles:',
      '    - web',
      '    - geerlingguy.docker',
      '  tasks:',
      '    - include_tasks: "{{ ansible_os_family }}.yml"',
      '    - import_tasks: tasks/extra.yml',
      '',
    ].join('\n'),
    'more.yml': '- hosts: all\n  tasks:\n    - debug: {msg: "{{ x | lower }}"}\n',
    'vars/main.yml': 'a: "{{ b | upper }}"\n',
    'tasks/extra.yml': '- debug: {msg: "{{ y | trim }}"}\n',
    'roles/web/tasks/main.yml': '- template: {src: page.j2, dest: /tmp/page}\n',
    'roles/web/defaults/main.yml': 'port: "{{ base | int }}"\n',
    'roles/web/templates/page.j2': 'port {{ port | int }}\n',
    'roles/web/files/blob.bin': 'not converted {{ x | y }}\n',
    'group_vars/all.yml': 'z: "{{ q | lower }}"\n',
    'encrypted.yml': '$ANSIBLE_VAULT;1.1;AES256\n6162\n',
  });
  const r = convert(dir, ['site.yml']);
  const rel = (f: string) => path.relative(dir, f);

  it('follows imports, roles (tasks, defaults, templates), vars_files and group_vars', () => {
    expect(r.files.map((f) => `${rel(f.file)} ${f.action}`).sort()).toEqual([
      'group_vars/all.yml kept',
      'more.yml converted',
      'roles/web/defaults/main.yml converted',
      'roles/web/tasks/main.yml unchanged',
      'roles/web/templates/page.j2 converted',
      'site.yml converted',
      'tasks/extra.yml converted',
      'vars/main.yml converted',
    ]);
    expect(after(r, dir, 'roles/web/templates/page.j2')).toBe(
      '{{#ensure_newlines 1}}port {{pystr (to_int port)}}{{/ensure_newlines}}',
    );
  });

  it('lists what it cannot follow: a templated name, a Galaxy role not installed', () => {
    const u = r.items
      .filter((i) => i.type === 'unresolved')
      .map((i) => `${rel(i.file)}:${(i as { line: number }).line} ${(i as { ref: string }).ref}`);
    expect(u).toEqual(['site.yml:6 geerlingguy.docker', 'site.yml:8 {{ ansible_os_family }}.yml']);
  });

  it('group_vars stay Ansible-readable unless asked; their constructs are still counted', () => {
    expect(r.items).toContainEqual(
      expect.objectContaining({ type: 'converted', jinja: '{{ q | lower }}', herdbook: '{{lower q}}' }),
    );
    const rw = convertPaths([path.join(dir, 'site.yml')], { schemas, rewriteInventory: true });
    expect(rw.files.find((f) => f.file.endsWith('all.yml'))!.after).toBe('z: "{{lower q}}"\n');
  });

  it('a YAML file it cannot parse is reported with file:line:col', () => {
    const bad = tempTree({ 'site.yml': '- hosts: all\n  tasks: [\n' });
    const b = convertPaths([path.join(bad, 'site.yml')], { schemas });
    expect(b.diagnostics[0].pos).toMatchObject({ file: path.join(bad, 'site.yml'), line: 3 });
  });
});

describe('herdbook convert: a k3s repository in the style of k3s-ansible', () => {
  const work = mkdtempSync(path.join(os.tmpdir(), 'hb-convert-k3s-'));
  cpSync(K3S, work, { recursive: true });
  const r = convert(work, ['site.yml'], ['inventory/hosts.yml']);

  it('converts every construct (community.general.timezone included), and lists the include it cannot follow', () => {
    const s = summarize(r.items);
    expect(s).toEqual({ type: 'summary', constructs: 99, converted: 99, left: 0, unresolved: 1 });
    expect(lefts(r)).toEqual([]);
  });

  it('converting the converted repository again changes nothing', () => {
    const again = mkdtempSync(path.join(os.tmpdir(), 'hb-convert-k3s-again-'));
    cpSync(work, again, { recursive: true });
    for (const f of r.files) writeFileSync(path.join(again, path.relative(work, f.file)), f.after);
    const r2 = convert(again, ['site.yml'], ['inventory/hosts.yml']);
    expect(r2.files.filter((f) => f.after !== f.before).map((f) => f.file)).toEqual([]);
    expect(r2.files.length).toBe(r.files.length);
  });

  it('keeps the vault value, ansible.cfg and the inventory byte for byte', () => {
    const inv = r.files.find((f) => f.file.endsWith('hosts.yml'))!;
    expect(inv.action).toBe('kept');
    expect(inv.after).toBe(readFileSync(path.join(K3S, 'inventory/hosts.yml'), 'utf8'));
    expect(r.files.some((f) => f.file.endsWith('ansible.cfg'))).toBe(false);
  });

  it('translates ipwrap, a seeded random and with_fileglob', () => {
    expect(after(r, work, 'roles/server/defaults/main.yml')).toContain(
      'api_url: "https://{{pystr (ipwrap api_endpoint)}}:{{pystr api_port}}"',
    );
    expect(after(r, work, 'roles/prereq/tasks/main.yml')).toContain(
      'snapshot_minute: "{{py_random 59 seed=inventory_hostname}}"',
    );
    expect(after(r, work, 'roles/server/tasks/main.yml')).toContain(
      "loop: \"{{ansible_query 'fileglob' 'manifests/*.yaml'}}\"",
    );
  });

  it('translates {% if %} in set_fact and the config template', () => {
    expect(after(r, work, 'roles/server/tasks/main.yml')).toContain(
      'opt_tls_san: "{{#if (ne api_endpoint ansible_hostname)}}--tls-san={{pystr api_endpoint}}{{/if}}"',
    );
    expect(after(r, work, 'roles/server/templates/config.yaml.j2')).toContain(
      '{{#if (eq inventory_hostname (at groups server_group 0))}}cluster-init: true\n',
    );
  });
});

describe('Ansible’s argument aliases of the firewall modules', () => {
  const schema = (m: string) =>
    JSON.parse(readFileSync(path.resolve(import.meta.dirname, `../../../schemas/modules/${m}.json`), 'utf8')) as Record<
      string,
      unknown
    >;
  it('ufw’s from/to/protocol/if/app and selinux’s conf/file become herdbook’s names; policy and port stay', () => {
    const ufw = schema('ufw');
    expect(['from', 'src', 'to', 'dest', 'protocol', 'if', 'app'].map((a) => argument('ufw', a, ufw))).toEqual(
      ['from_ip', 'from_ip', 'to_ip', 'to_ip', 'proto', 'interface', 'name'].map((rename) => ({ rename })),
    );
    expect(argument('ufw', 'policy', ufw)).toBeUndefined();
    expect(argument('ufw', 'port', ufw)).toBeUndefined();
    expect(argument('selinux', 'conf', schema('selinux'))).toEqual({ rename: 'configfile' });
  });
});
