// A user's k3s-ansible inventory, unchanged in shape, written for the sandbox's nodes: groups
// server and agent under k3s_cluster, k3s-ansible's variables (k3s_version as the target, token,
// api_endpoint, extra_*_args). upgrade-k3s.yaml, with no edit, rehearses with --check and then
// upgrades the cluster to that k3s_version, servers first. The token is vaulted inline, as
// k3s-ansible's README recommends (ansible-vault encrypt_string): the run needs the vault
// password (exit 4 without it, naming the value's line), and neither is ever printed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { encryptText } from '../../../engine/vault/codec.js';
import type { SandboxState } from '../../../sandbox/cluster/index.js';
import { herdbook, ROOT, type Run } from '../helpers.js';
import { describeSandboxes } from './backends.js';
import { changeLines, recap, results } from './sandbox.js';

const TARGET = 'v1.32.5+k3s1';

/** The sandbox's own connection settings ([all:vars] of the inventory it wrote): keys, known hosts, its release server. */
function sandboxVars(state: SandboxState): Record<string, string> {
  const text = readFileSync(state.inventory, 'utf8');
  const section = text.slice(text.indexOf('[all:vars]') + '[all:vars]'.length);
  return Object.fromEntries(
    section
      .split('\n')
      .map((l) => /^([A-Za-z_]\w*)=(.*)$/.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => [m[1], m[2]]),
  );
}

/** `key: !vault |` with the value encrypted for vault id 'default', indented for `vars:`. */
function vaulted(key: string, value: string, password: string): string[] {
  const envelope = encryptText(value, { id: 'default', password: Buffer.from(password), source: 'test' });
  return [
    `    ${key}: !vault |`,
    ...envelope
      .trimEnd()
      .split('\n')
      .map((l) => `      ${l}`),
  ];
}

/** k3s-ansible's inventory-sample.yml, its hosts being the sandbox's nodes, the token vaulted. */
function k3sAnsibleInventory(state: SandboxState, token: string, password: string): string {
  const hosts = (role: string) =>
    state.nodes
      .filter((n) => n.role === role)
      .flatMap((n) => [`        ${n.name}:`, '          ansible_host: 127.0.0.1', `          ansible_port: ${n.port}`]);
  const own = Object.entries(sandboxVars(state)).map(([k, v]) => `    ${k}: ${JSON.stringify(v)}`);
  return [
    '---',
    'k3s_cluster:',
    '  children:',
    '    server:',
    '      hosts:',
    ...hosts('server'),
    '    agent:',
    '      hosts:',
    ...hosts('agent'),
    '  # Required Vars',
    '  vars:',
    `    k3s_version: ${TARGET}`,
    ...vaulted('token', token, password),
    '    api_endpoint: 127.0.0.1',
    '    extra_server_args: ""',
    '    extra_agent_args: ""',
    '    # The sandbox: where its nodes, keys and release server are.',
    ...own,
    '',
  ].join('\n');
}

describeSandboxes(
  'upgrade-k3s.yaml on a k3s-ansible inventory',
  [],
  (sandbox) => {
    const token = `k3s-ansible-token-${randomBytes(12).toString('hex')}`;
    const password = `vault-pass-${randomBytes(8).toString('hex')}`;
    let inventory = '';
    let passwordFile = '';
    let checkLines: string[] = [];
    const run = (...args: string[]): Promise<Run> =>
      herdbook(
        [
          'run',
          path.join(ROOT, 'playbooks', 'upgrade-k3s.yaml'),
          '-i',
          inventory,
          '--vault-password-file',
          passwordFile,
          '--output',
          'json',
          ...args,
        ],
        { timeoutMs: 240_000 },
      );
    const printed = (r: Run) => `${r.stdout}\n${r.stderr}`;
    const expectSecretsHidden = (r: Run) => {
      expect(printed(r)).not.toContain(token);
      expect(printed(r)).not.toContain(password);
    };

    it('list-hosts finds the servers and agents in groups server and agent', async () => {
      const sb = sandbox();
      const dir = mkdtempSync(path.join(os.tmpdir(), 'hb-k3s-ansible-'));
      inventory = path.join(dir, 'hosts.yml');
      passwordFile = path.join(dir, 'vault-pass.txt');
      writeFileSync(inventory, k3sAnsibleInventory(sb.state, token, password));
      writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
      const r = await herdbook(['list-hosts', path.join(ROOT, 'playbooks', 'upgrade-k3s.yaml'), '-i', inventory]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('play #1 (server:agent): Preflight  (3 hosts, 1 batch)');
      expect(r.stdout).toContain('play #3 (server): Upgrade the servers, one at a time  (1 host, 1 batch)');
      expect(r.stdout).toContain('play #4 (agent): Upgrade the agents  (2 hosts, 2 batches)');
    });

    it('without the vault password nothing runs: exit 4 names the token and how to give the password', async () => {
      const sb = sandbox();
      await sb.clearRequests();
      const r = await herdbook(['run', path.join(ROOT, 'playbooks', 'upgrade-k3s.yaml'), '-i', inventory, '--check']);
      expect(r.code, r.stderr).toBe(4);
      expect(r.stderr).toMatch(/hosts\.yml:\d+:\d+: error: .*vault/);
      expect(r.stderr).toContain('--vault-password-file');
      expect(r.stdout).toBe('');
      expect(await sb.mutations()).toEqual([]);
    });

    it('--check says it would upgrade every node to k3s_version, and changes nothing', async () => {
      const sb = sandbox();
      await sb.clearRequests();
      const r = await run('--check', '--detailed-exitcode');
      expect(r.code, r.stderr).toBe(10);
      expect(await sb.mutations()).toEqual([]);
      checkLines = changeLines(r);
      expect(checkLines).toContain(`s-1 | Upgrade k3s | upgrade v1.31.4+k3s1 → ${TARGET} (server, pinned version)`);
      expect(checkLines).toContain(`a-1 | Upgrade k3s | upgrade v1.31.4+k3s1 → ${TARGET} (agent, pinned version)`);
      expect(checkLines).toContain(`a-2 | Upgrade k3s | upgrade v1.31.4+k3s1 → ${TARGET} (agent, pinned version)`);
      expectSecretsHidden(r);
    });

    it('the real run upgrades servers then agents to k3s_version, as --check said', async () => {
      const sb = sandbox();
      const r = await run();
      expect(r.code, r.stderr + JSON.stringify(recap(r))).toBe(0);
      const upgraded = results(r)
        .filter((e) => e.task === 'Upgrade k3s' && e.status === 'changed')
        .map((e) => e.host);
      expect(upgraded).toEqual(['s-1', 'a-1', 'a-2']);
      expect(changeLines(r).filter((l) => l.includes('| Upgrade k3s |'))).toEqual(
        checkLines.filter((l) => l.includes('| Upgrade k3s |')),
      );
      const nodes = (await sb.kube.core.listNode({})).items;
      expect(nodes.map((n) => n.status?.nodeInfo?.kubeletVersion)).toEqual([TARGET, TARGET, TARGET]);
      expectSecretsHidden(r);
    });

    it('a debug of the token at -vvv shows it masked', async () => {
      const dir = path.dirname(inventory);
      const playbook = path.join(dir, 'show-token.yaml');
      writeFileSync(
        playbook,
        '- hosts: server\n  gather_facts: false\n  tasks:\n    - debug: { msg: "token {{token}}" }\n',
      );
      const r = await herdbook(['run', playbook, '-i', inventory, '--vault-password-file', passwordFile, '-vvv']);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('token ********');
      expectSecretsHidden(r);
    });
  },
  // What this file proves is the inventory's shape, vault and variables reaching the upgrade; the
  // upgrade itself on the real control plane is upgrade.test.ts's and upgrade-stepwise's. On both
  // backends it was 456 s of CI's 30 minutes.
  ['kube-sim'],
);
