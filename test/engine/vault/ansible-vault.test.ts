// Our Vault data against the real ansible-vault, both ways: files and strings it writes (1.1,
// and 1.2 with a vault id) we read; files and strings `herdbook vault` writes it reads.
import { spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { parseYamlText } from '../../../engine/load/yaml.js';
import { newVaultSession, withVault } from '../../../engine/vault/session.js';
import { ansibleEnv, ansibleVault, describeWithAnsibleVault } from '../../helpers/ansible-vault.js';
import { herdbook } from '../../cli/run-cli.js';
import { tempTree } from '../../helpers/tmp.js';

const SECRET = 'k3s-token::s3cr3t ünïcode\nsecond line\n';

describeWithAnsibleVault('Ansible Vault data, both ways with the real ansible-vault', () => {
  const dir = tempTree({ 'pw.txt': 'correct horse\n', 'prod.txt': '  prod battery \n', 'new.txt': 'staple\n' });
  const at = (f: string) => path.join(dir, f);
  const hb = (...args: string[]) => herdbook(['vault', ...args], dir);

  beforeAll(() => writeFileSync(at('plain.txt'), SECRET));

  it.each([
    ['1.1', ['--vault-password-file', 'pw.txt'], '$ANSIBLE_VAULT;1.1;AES256'],
    ['1.2 with a vault id', ['--vault-id', 'prod@prod.txt'], '$ANSIBLE_VAULT;1.2;AES256;prod'],
  ])('we read a whole file ansible-vault encrypted (%s), and it reads ours', (_v, flags, header) => {
    ansibleVault(['encrypt', ...flags, '--output', 'theirs.vault', 'plain.txt'], { cwd: dir });
    expect(readFileSync(at('theirs.vault'), 'utf8').split('\n')[0]).toBe(header);
    const view = hb('view', ...flags, 'theirs.vault');
    expect(view.stderr).toBe('');
    expect(view.code).toBe(0);
    expect(view.stdout).toBe(SECRET);

    const ours = hb('encrypt', ...flags, '--output', 'ours.vault', 'plain.txt');
    expect(ours.code).toBe(0);
    const text = readFileSync(at('ours.vault'), 'utf8');
    expect(text.split('\n')[0]).toBe(header);
    expect(text).not.toContain('s3cr3t');
    expect(ansibleVault(['view', ...flags, 'ours.vault'], { cwd: dir })).toBe(SECRET);
    // And decrypt in place: the plaintext exactly, byte for byte.
    expect(hb('decrypt', ...flags, 'theirs.vault').code).toBe(0);
    expect(readFileSync(at('theirs.vault'), 'utf8')).toBe(SECRET);
  });

  it.each([
    ['1.1', ['--vault-password-file', 'pw.txt']],
    ['1.2 with a vault id', ['--vault-id', 'prod@prod.txt']],
  ])('we read an inline string ansible-vault encrypted (%s)', (_v, flags) => {
    const yaml = ansibleVault(['encrypt_string', ...flags, '--name', 'token', 'the-token-value'], { cwd: dir });
    const secrets = [
      {
        id: flags[1].includes('@') ? 'prod' : 'default',
        password: Buffer.from(flags[1].includes('@') ? 'prod battery' : 'correct horse'),
        source: 'test',
      },
    ];
    const r = withVault(newVaultSession(secrets, 'all'), () => parseYamlText(at('vars.yml'), yaml));
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({ token: 'the-token-value' });
  });

  it.each([
    ['1.1', ['--vault-password-file', 'pw.txt']],
    ['1.2 with a vault id', ['--vault-id', 'prod@prod.txt']],
  ])('ansible reads the inline strings we encrypt (%s)', (_v, flags) => {
    const r = hb('encrypt_string', ...flags, '--name', 'token', 'the-token-value');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^token: !vault \|\n {10}\$ANSIBLE_VAULT;1\.[12];AES256/);
    writeFileSync(at('ours.yml'), r.stdout);
    // The real loader of inline !vault values: ansible's own variable handling.
    const a = spawnSync(
      'ansible',
      ['localhost', '-c', 'local', '-m', 'debug', '-a', 'var=token', '-e', '@ours.yml', ...flags],
      {
        cwd: dir,
        encoding: 'utf8',
        env: ansibleEnv(),
      },
    );
    expect(a.stderr.replace(/\[WARNING\].*\n/g, '')).toBe('');
    expect(a.stdout).toContain('"token": "the-token-value"');
  });

  it('rekey: each reads what the other re-encrypted with a new password and vault id', () => {
    ansibleVault(['encrypt', '--vault-password-file', 'pw.txt', '--output', 'r.vault', 'plain.txt'], { cwd: dir });
    chmodSync(at('r.vault'), 0o640);
    const r = hb('rekey', '--vault-password-file', 'pw.txt', '--new-vault-id', 'next@new.txt', 'r.vault');
    expect(r.code).toBe(0);
    expect(readFileSync(at('r.vault'), 'utf8').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;next');
    expect(ansibleVault(['view', '--vault-id', 'next@new.txt', 'r.vault'], { cwd: dir })).toBe(SECRET);
    ansibleVault(['rekey', '--vault-id', 'next@new.txt', '--new-vault-password-file', 'pw.txt', 'r.vault'], {
      cwd: dir,
    });
    expect(hb('view', '--vault-password-file', 'pw.txt', 'r.vault').stdout).toBe(SECRET);
  });

  it('stdin to stdout with "-", and a wrong password is exit 4 naming the file', () => {
    const enc = spawnSync(
      process.execPath,
      [path.resolve('bin/herdbook.js'), 'vault', 'encrypt', '--vault-password-file', at('pw.txt'), '-'],
      {
        input: 'from stdin',
        encoding: 'utf8',
      },
    );
    expect(enc.status).toBe(0);
    expect(
      ansibleVault(['decrypt', '--vault-password-file', 'pw.txt', '--output', '-', '-'], {
        cwd: dir,
        input: enc.stdout,
      }),
    ).toBe('from stdin');
    ansibleVault(['encrypt', '--vault-id', 'prod@prod.txt', '--output', 'w.vault', 'plain.txt'], { cwd: dir });
    const wrong = hb('view', '--vault-password-file', 'pw.txt', 'w.vault');
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toMatch(
      /w\.vault:1:1: error: w\.vault \(vault id 'prod'\): no vault password given decrypts it \(tried default/,
    );
    expect(wrong.stdout).toBe('');
  });
});
