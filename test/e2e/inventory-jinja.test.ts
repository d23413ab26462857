// Inventories stay shared with Ansible: every Jinja value in the sample inventories of
// k3s-io/k3s-ansible and techno-tim/k3s-ansible (byte for byte) and in our table of constructs
// is read by `ansible-playbook` (the oracle) and by `herdbook run`, and the two must agree.
// Then the rule for what the translator cannot handle: no error unless read; read, exit 2 with
// the variable, file:line and why.
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { ansibleUnavailable } from '../conformance/harness/run-ansible.js';
import { herdbook, ROOT } from './helpers.js';

const FIXTURES = path.join(ROOT, 'test/fixtures/jinja-inventories');
const ENV_VALUE = 'from-the-environment';
const noAnsible = ansibleUnavailable();
if (noAnsible && process.env.HERDBOOK_REQUIRE_ANSIBLE === '1') throw new Error(noAnsible);

type Case = {
  dir: string;
  inventory: string;
  vars: string[];
  playVars?: Record<string, unknown>;
};

const CASES: Record<string, Case> = {
  'k3s-io/k3s-ansible inventory-sample.yml': {
    dir: 'k3s-io',
    inventory: 'inventory.yml',
    vars: ['api_endpoint', 'token', 'k3s_version', 'ansible_port', 'ansible_user'],
  },
  'techno-tim/k3s-ansible inventory/sample': {
    dir: 'techno-tim',
    inventory: 'hosts.ini',
    vars: ['k3s_node_ip', 'k3s_master_taint', 'extra_args', 'extra_server_args', 'extra_agent_args', 'ansible_user'],
    // k3s_node_ip reads the gathered interface facts; both tools get the same ones.
    playVars: { ansible_facts: { eth0: { ipv4: { address: '10.9.9.9' } } } },
  },
  'a table of constructs (inventory, group_vars, host_vars)': {
    dir: 'table',
    inventory: 'inventory.yml',
    vars: [
      ...[
        'api_endpoint second_endpoint first_server last_agent server_url servers_csv upper_servers is_ha',
        'flag_bool port_plus role_word ternary_word minor lowered concat plus_concat channel channel_raw new_enough too_old',
        'has_token token_or empty_default slice_servers arith label_count joined_hosts tls_sans mode set_value',
        'dict_keys stripped starts env_value not_in chained nested folded role_title peer_count labels_joined',
      ].flatMap((l) => l.split(' ')),
    ],
  },
};

function workspace(c: Case): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herdbook-jinja-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  cpSync(path.join(FIXTURES, c.dir), dir, { recursive: true });
  writeFileSync(path.join(dir, 'connection.yml'), stringify({ all: { vars: { ansible_connection: 'local' } } }));
  const tasks = c.vars.map((v) => ({ name: v, debug: { var: v }, register: 'out' }));
  const play = { name: 'read', hosts: 'all', gather_facts: false, ...(c.playVars ? { vars: c.playVars } : {}), tasks };
  writeFileSync(path.join(dir, 'read.yaml'), stringify([play]));
  return dir;
}

type Values = Map<string, unknown>; // "host var" → value

function runAnsible(dir: string, c: Case): Promise<Values> {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('ANSIBLE_')) env[k] = v;
  Object.assign(env, {
    ANSIBLE_STDOUT_CALLBACK: 'json',
    ANSIBLE_PYTHON_INTERPRETER: '/usr/bin/python3',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_LOCAL_TEMP: path.join(dir, '.ansible-tmp'),
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ANSIBLE_LOCALHOST_WARNING: '0',
    ANSIBLE_INVENTORY_UNPARSED_WARNING: '0',
    HERDBOOK_JINJA_TEST: ENV_VALUE,
  });
  const args = ['read.yaml', '-i', c.inventory, '-i', 'connection.yml'];
  return new Promise((resolve, reject) => {
    const child = spawn('ansible-playbook', args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`ansible-playbook exited ${code}: ${err}\n${out.slice(0, 3000)}`));
      type Json = { plays: { tasks: { task: { name: string }; hosts: Record<string, Record<string, unknown>> }[] }[] };
      const json = JSON.parse(out.slice(out.indexOf('{'))) as Json;
      const values: Values = new Map();
      for (const t of json.plays[0].tasks)
        for (const [h, r] of Object.entries(t.hosts)) values.set(`${h} ${t.task.name}`, r[t.task.name]);
      resolve(values);
    });
  });
}

async function runHerdbook(dir: string, c: Case): Promise<{ values: Values; stderr: string }> {
  const r = await herdbook(['run', 'read.yaml', '-i', c.inventory, '-i', 'connection.yml', '--output', 'json', '-v'], {
    cwd: dir,
    env: { HERDBOOK_JINJA_TEST: ENV_VALUE },
  });
  if (r.code !== 0) throw new Error(`herdbook exited ${r.code}: ${r.stderr}\n${r.stdout.slice(0, 3000)}`);
  const values: Values = new Map();
  for (const e of r.events) if (e.type === 'task_result') values.set(`${e.host} ${e.task}`, e.registered?.[e.task]);
  return { values, stderr: r.stderr };
}

/**
 * Ansible 2.14 turns a template's result back into a list, a mapping or a boolean, but leaves a
 * number a string ("6444"); herdbook keeps the number (README "What differs from Ansible": a
 * single-expression string keeps its type). Anything else must be equal.
 */
function same(ansible: unknown, ours: unknown): boolean {
  if (ansible === 'VARIABLE IS NOT DEFINED!') return ours === undefined;
  if (typeof ours === 'number' && typeof ansible === 'string') return String(ours) === ansible;
  if (Array.isArray(ours) && Array.isArray(ansible))
    return ours.length === ansible.length && ours.every((x, i) => same(ansible[i], x));
  if (ours && ansible && typeof ours === 'object' && typeof ansible === 'object')
    return Object.keys(ansible).every((k) => same((ansible as never)[k], (ours as never)[k]));
  return JSON.stringify(ours) === JSON.stringify(ansible);
}

describe.skipIf(noAnsible)('Jinja in inventories: ansible-playbook and herdbook read the same values', () => {
  for (const [title, c] of Object.entries(CASES)) {
    it(title, { timeout: 180_000 }, async () => {
      const dir = workspace(c);
      const [ansible, ours] = await Promise.all([runAnsible(dir, c), runHerdbook(dir, c)]);
      expect(ansible.size).toBeGreaterThan(0);
      expect([...ours.values.keys()].sort()).toEqual([...ansible.keys()].sort());
      const differ = [...ansible].filter(([k, v]) => !same(v, ours.values.get(k)));
      expect(
        differ.map(([k, v]) => ({ at: k, ansible: v, herdbook: ours.values.get(k) })),
        'values that differ',
      ).toEqual([]);
      // None of them is the untranslated text.
      for (const v of ours.values.values()) expect(JSON.stringify(v) ?? '').not.toMatch(/\{\{|\{%/);
      // -v says once per value that it was Jinja, with file:line and both spellings.
      const said = ours.stderr.split('\n').filter((l) => / is Jinja, read as /.test(l));
      expect(said.length).toBeGreaterThan(0);
      expect(new Set(said).size).toBe(said.length);
      if (c.dir === 'k3s-io')
        expect(said).toEqual([
          "inventory.yml:24: api_endpoint is Jinja, read as {{default (at hostvars groups.server.[0] 'ansible_host') groups.server.[0]}} (was {{ hostvars[groups['server'][0]]['ansible_host'] | default(groups['server'][0]) }})",
        ]);
    });
  }
});

describe('Jinja the translator cannot handle', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herdbook-jinja-left-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, 'inventory.yml'),
    [
      'all:',
      '  hosts:',
      '    h1:',
      '      ansible_connection: local',
      '  vars:',
      '    fine: "{{ \'ok\' | upper }}"',
      '    query: "{{ pods | to_uuid }}"',
      '',
    ].join('\n'),
  );
  const playbook = (name: string, msg: string) =>
    writeFileSync(
      path.join(dir, name),
      stringify([{ hosts: 'all', gather_facts: false, tasks: [{ name: 'show', debug: { msg } }] }]),
    );
  playbook('unread.yaml', '{{fine}}');
  playbook('read.yaml', '{{query}}');

  it('is no error when nothing reads it', async () => {
    const r = await herdbook(['run', 'unread.yaml', '-i', 'inventory.yml', '--output', 'json'], { cwd: dir });
    expect(r.code, r.stderr).toBe(0);
    const result = r.events.find((e) => e.type === 'task_result');
    expect(result).toMatchObject({ status: 'ok', msg: 'OK' });
  });

  it('fails the host that reads it (exit 2), naming the variable, file:line, the construct and why', async () => {
    const r = await herdbook(['run', 'read.yaml', '-i', 'inventory.yml', '--output', 'json'], { cwd: dir });
    expect(r.code).toBe(2);
    const result = r.events.find((e) => e.type === 'task_result');
    expect(result?.type === 'task_result' && result.status).toBe('failed');
    const msg = result?.type === 'task_result' ? (result.msg ?? '') : '';
    expect(msg).toContain("variable 'query' is Jinja herdbook cannot translate");
    expect(msg).toContain(`${path.join(dir, 'inventory.yml')}:7`);
    expect(msg).toContain('to_uuid');
    expect(msg).toContain("the filter 'to_uuid' has no herdbook helper of the same meaning yet");
  });
});

// Keep the fixtures honest: every file in them is used by a case above.
it('uses every fixture inventory', () => {
  expect(readdirSync(FIXTURES).sort()).toEqual(['README.md', ...Object.values(CASES).map((c) => c.dir)].sort());
});
