// A run on a real sshd node that copies a vault-encrypted file: the node gets the plaintext
// (as Ansible copies it), the output never shows it, not even with --diff, and the second run
// changes nothing. `decrypt: false` copies the encrypted bytes as they are.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encryptText } from '../../engine/vault/codec.js';
import { fleetPaths, nodePath } from '../../sandbox/fleet/index.js';
import { testFleet, type TestFleet } from '../connection/ssh/fixture.js';
import { writeTree } from '../helpers/tmp.js';
import { expectNoCrash } from './run-cli.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/herdbook.js');
const PLAIN = 'token: fleet-copy-secret-42\nserver: https://10.0.0.1:6443\n';
const NODE = 'vault-node';

describe('copy of a vault-encrypted file to a real sshd node', () => {
  let t: TestFleet;
  let dir: string;
  beforeAll(async () => {
    t = await testFleet([{ name: NODE }]);
    dir = path.join(t.dir, 'work');
    const vars = {
      ...t.fleet.node(NODE).vars,
      ansible_ssh_known_hosts_file: fleetPaths(t.fleet.stateDir).knownHosts,
    };
    const hostLine = Object.entries(vars)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(' ');
    writeTree(dir, {
      'pw.txt': 'fleet-pass\n',
      'inventory.ini': `[nodes]\n${NODE} ${hostLine}\n`,
      'files/k3s-token.yaml': encryptText(PLAIN, { id: 'default', password: Buffer.from('fleet-pass'), source: 't' }),
      'copy.yml': [
        '- hosts: nodes',
        '  gather_facts: false',
        '  tasks:',
        '    - name: token file, decrypted',
        '      copy: { src: k3s-token.yaml, dest: /etc/rancher/token.yaml, mode: "0600" }',
        '    - name: token file, as it is',
        '      copy: { src: k3s-token.yaml, dest: /etc/rancher/token.vault, decrypt: false }',
        '    - name: read it back',
        '      command: cat /etc/rancher/token.yaml',
        '',
      ].join('\n'),
    });
  }, 60_000);
  afterAll(async () => t?.stop());

  const run = (...flags: string[]) => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'run', 'copy.yml', '-i', 'inventory.ini', '--vault-password-file', 'pw.txt', ...flags],
      { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CI: '1' }, timeout: 120_000 },
    );
    expectNoCrash({ code: r.status, stdout: r.stdout, stderr: r.stderr });
    return r;
  };

  it('writes the plaintext, shows none of it, and is idempotent', () => {
    const first = run('--diff', '-vv');
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(readFileSync(nodePath(t.fleet.stateDir, NODE, '/etc/rancher/token.yaml'), 'utf8')).toBe(PLAIN);
    expect(readFileSync(nodePath(t.fleet.stateDir, NODE, '/etc/rancher/token.vault'), 'utf8')).toBe(
      readFileSync(path.join(dir, 'files/k3s-token.yaml'), 'utf8'),
    );
    expect(first.stdout).toMatch(/changed +vault-node +token file, decrypted/);
    // No diff of the decrypted content; `cat` of it is masked.
    expect(first.stdout).not.toContain('+token:');
    expect(first.stdout).toMatch(/stdout: \*{8}/);
    expect(first.stdout).not.toContain('fleet-copy-secret-42');
    expect(first.stdout).toContain('********');
    const again = run('--diff');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/ok +vault-node +token file, decrypted/);
    expect(again.stdout).toMatch(/ok +vault-node +token file, as it is/);
    expect(again.stdout).not.toContain('fleet-copy-secret-42');
  }, 120_000);

  // copy's src is known only when the task runs (it may be templated): a task failure, as in Ansible.
  it('a wrong password fails the copy task, naming the file', () => {
    const r = spawnSync(
      process.execPath,
      [BIN, 'run', 'copy.yml', '-i', 'inventory.ini', '--vault-id', 'x@inventory.ini'],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NO_COLOR: '1', CI: '1' },
        timeout: 120_000,
      },
    );
    expect(r.status).toBe(2);
    expect(r.stdout).toMatch(
      /src .*k3s-token\.yaml is encrypted with Ansible Vault: no vault password given decrypts it/,
    );
  }, 120_000);
});
