// Ansible is the oracle for the Jinja translator: one ansible-playbook run (connection local)
// renders every template of jinja/templates.ts with the real `template` module, and a template of
// jinja/expressions.ts' expressions one per section; herdbook renders their translations with the
// same variables. Every byte must match: statements, whitespace rules, filters, tests, printing.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { templateModuleOptions, TEMPLATE_MODULE_OPTIONS, translateTemplate } from '../../engine/jinja/index.js';
import { stringify } from 'yaml';
import { createTemplater, Scope } from '../../engine/template/index.js';
import { asText } from '../../engine/text.js';
import { ansibleUnavailable } from './harness/run-ansible.js';
import { run, type Spawned } from './harness/spawn.js';
import { EXPRESSIONS, EXPRESSION_VARS, LOOKUP_FILES } from './jinja/expressions.js';
import { TEMPLATE_CASES, TEMPLATE_VARS, VALUE_CASES } from './jinja/templates.js';

const ENV_VALUE = 'from the environment';
const VARS = { ...TEMPLATE_VARS, ...EXPRESSION_VARS };
const skip = ansibleUnavailable();
if (skip && process.env.HERDBOOK_REQUIRE_ANSIBLE === '1') throw new Error(skip);

const PLAYBOOK = `- hosts: localhost
  gather_facts: false
  vars_files: [vars.json, cases.json]
  tasks:
    - name: templates
      ansible.builtin.template:
        src: "templates/{{ item.name }}.j2"
        dest: "out/{{ item.name }}"
        trim_blocks: "{{ item.trim_blocks }}"
        lstrip_blocks: "{{ item.lstrip_blocks }}"
      loop: "{{ cases }}"
    - name: expressions
      ansible.builtin.template:
        src: expressions.j2
        dest: out/expressions
    - name: values
      ansible.builtin.copy:
        content: "{{ values_out | to_json }}"
        dest: out/values.json
      vars:
`;

const marker = (i: number) => `@@@${i}@@@\n`;

describe.skipIf(skip)('Jinja translations render what Ansible renders', () => {
  let dir = '';
  let ansible: Spawned;
  const helpers = createTemplater({ env: { HERDBOOK_ORACLE_ENV: ENV_VALUE } });
  // herdbook's playbook folder: the lookups' files, .j2 converted (as `herdbook convert` writes them).
  const hbDir = () => path.join(dir, 'hb');
  const herdbook = (text: string) => asText(helpers.render(text, new Scope([{ playbook_dir: hbDir() }, VARS])) ?? '');

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'herdbook-jinja-oracle-'));
    mkdirSync(path.join(dir, 'templates'));
    mkdirSync(path.join(dir, 'out'));
    for (const c of TEMPLATE_CASES) writeFileSync(path.join(dir, 'templates', `${c.name}.j2`), c.src);
    const cases = TEMPLATE_CASES.map((c) => ({
      name: c.name,
      trim_blocks: c.trim_blocks ?? true,
      lstrip_blocks: c.lstrip_blocks ?? false,
    }));
    writeFileSync(path.join(dir, 'cases.json'), JSON.stringify({ cases }));
    for (const [name, text] of Object.entries(LOOKUP_FILES)) {
      for (const root of [dir, hbDir()]) mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      writeFileSync(path.join(dir, name), text);
      const t = name.endsWith('.j2') ? translateTemplate(text, TEMPLATE_MODULE_OPTIONS) : undefined;
      if (t && t.kind !== 'translated') throw new Error(`${name} not translated: ${JSON.stringify(t)}`);
      writeFileSync(path.join(hbDir(), name), t ? t.text : text);
    }
    writeFileSync(path.join(dir, 'vars.json'), JSON.stringify(VARS));
    writeFileSync(path.join(dir, 'expressions.j2'), EXPRESSIONS.map((e, i) => `${marker(i)}{{ ${e} }}\n`).join(''));
    // The values as a task's vars: Ansible templates each when the copy reads it.
    const values = stringify({ values_out: Object.fromEntries(VALUE_CASES.map((v, i) => [`v${i}`, v])) });
    writeFileSync(path.join(dir, 'play.yml'), PLAYBOOK + values.replace(/^/gm, '        '));
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('ANSIBLE_') || k === 'HERDBOOK_ORACLE_UNSET') delete env[k];
    ansible = await run('ansible-playbook', ['-i', 'localhost,', '-c', 'local', 'play.yml'], {
      cwd: dir,
      env: {
        ...env,
        HERDBOOK_ORACLE_ENV: ENV_VALUE,
        ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
        ANSIBLE_LOCAL_TEMP: path.join(dir, 'tmp'),
        ANSIBLE_NOCOLOR: '1',
        ANSIBLE_LOCALHOST_WARNING: '0',
        ANSIBLE_DEPRECATION_WARNINGS: '0',
      },
      timeoutMs: 240_000,
      cpuFile: path.join(dir, 'cpu'),
    });
    if (ansible.code !== 0) throw new Error(`ansible-playbook failed:\n${ansible.stdout}\n${ansible.stderr}`);
    // What this file adds to CI: one ansible-playbook run (the herdbook side takes milliseconds).
    console.log(`jinja oracle: ansible-playbook ${ansible.durationMs} ms wall, ${ansible.cpuMs ?? '?'} ms CPU`);
  }, 300_000);

  afterAll(() => {
    if (dir && !process.env.HERDBOOK_CONFORMANCE_KEEP) rmSync(dir, { recursive: true, force: true });
  });

  it.each(TEMPLATE_CASES.map((c) => [c.name, c] as const))('template %s', (_name, c) => {
    const t = translateTemplate(c.src, templateModuleOptions(c));
    if (t.kind !== 'translated') throw new Error(`not translated: ${JSON.stringify(t)}`);
    const want = readFileSync(path.join(dir, 'out', c.name), 'utf8');
    expect({ text: t.text, out: herdbook(t.text) }).toEqual({ text: t.text, out: want });
  });

  it.each(VALUE_CASES.map((v, i) => [v, i] as const))('value %j', (value, i) => {
    const all = JSON.parse(readFileSync(path.join(dir, 'out', 'values.json'), 'utf8')) as Record<string, unknown>;
    const t = translateTemplate(value);
    if (t.kind !== 'translated') throw new Error(`not translated: ${JSON.stringify(t)}`);
    const ours = helpers.render(t.text, new Scope([VARS]));
    // Ansible 2.14 leaves a number a string, herdbook keeps it (README "What differs from Ansible").
    const want = all[`v${i}`];
    expect({ text: t.text, out: typeof ours === 'number' ? String(ours) : ours }).toEqual({ text: t.text, out: want });
  });

  it.each(EXPRESSIONS.map((e, i) => [e, i] as const))('{{ %s }}', (expr, i) => {
    const all = readFileSync(path.join(dir, 'out', 'expressions'), 'utf8');
    const from = all.indexOf(marker(i)) + marker(i).length;
    const to = all.indexOf(marker(i + 1));
    // Each section is the expression's text and the template's newline after it.
    const want = all.slice(from, to < 0 ? undefined : to).replace(/\n$/, '');
    const t = translateTemplate(`{{ ${expr} }}`, TEMPLATE_MODULE_OPTIONS);
    if (t.kind !== 'translated') throw new Error(`not translated: ${JSON.stringify(t)}`);
    expect({ text: t.text, out: herdbook(t.text) }).toEqual({ text: t.text, out: want });
  });
});
