// Vault through the CLI as a user meets it: vaulted values in every place a run reads variables
// from, passwords from each source, exit 4 with file:line before anything runs, and every
// decrypted value masked in plain, JSON, -vvv and JUnit output.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { encryptText, type VaultSecret } from '../../engine/vault/codec.js';
import { tempTree, writeTree } from '../helpers/tmp.js';
import { expectNoCrash } from './run-cli.js';

const BIN = path.resolve(import.meta.dirname, '../../bin/herdbook.js');
const DEV: VaultSecret = { id: 'default', password: Buffer.from('dev-pass'), source: 'test' };
const PROD: VaultSecret = { id: 'prod', password: Buffer.from('prod-pass'), source: 'test' };
const enc = (text: string, s = DEV) => encryptText(text, s);
const inline = (key: string, text: string, indent: string, s = DEV) =>
  `${indent}${key}: !vault |\n${enc(text, s)
    .trimEnd()
    .split('\n')
    .map((l) => `${indent}  ${l}`)
    .join('\n')}\n`;

/** Each value comes from another place; each must be read, and none may be printed. */
const SECRETS = {
  play: 'play-inline-S1',
  varsFile: 'vars-file-S2',
  includeVars: 'include-vars-S3',
  extra: 'extra-file-S4',
  groupVault: 'group-vault-S5',
  hostInline: 'host-inline-S6',
};

const dir = tempTree({
  'pw.txt': 'dev-pass\n',
  'prod.txt': 'prod-pass\n',
  'wrong.txt': 'not-the-pass\n',
  'inv/hosts.yml': 'all:\n  hosts:\n    h1:\n      ansible_connection: local\n',
  'inv/group_vars/all/vault.yml': enc(`group_token: ${SECRETS.groupVault}\n`, PROD),
  'inv/host_vars/h1.yml': inline('host_token', SECRETS.hostInline, ''),
  'secret-vars.yml': enc(`file_token: ${SECRETS.varsFile}\n`),
  'included.yml': enc(`included_token: ${SECRETS.includeVars}\n`),
  'extra.yml': enc(`extra_token: ${SECRETS.extra}\n`),
  'site.yml': [
    '- hosts: all',
    '  gather_facts: false',
    '  vars:',
    inline('play_token', SECRETS.play, '    ').trimEnd(),
    '  vars_files: [secret-vars.yml]',
    '  tasks:',
    '    - include_vars: included.yml',
    '    - name: show them',
    '      debug:',
    '        msg: "{{play_token}} {{file_token}} {{included_token}} {{extra_token}} {{group_token}} {{host_token}}"',
    '    - name: echo one',
    '      command: echo "{{play_token}}"',
    '',
  ].join('\n'),
  'inline-only.yml': `- hosts: all\n  gather_facts: false\n  vars:\n${inline('play_token', SECRETS.play, '    ')}  tasks:\n    - debug: { msg: '{{play_token}}' }\n`,
  'bad-percentage.yml': `- hosts: all\n  gather_facts: false\n  max_fail_percentage: "{{play_token}}"\n  vars:\n${inline('play_token', SECRETS.play, '    ')}  tasks:\n    - debug: { msg: hi }\n`,
  'pw-script.sh': '#!/bin/sh\nprintf "dev-pass\\n"\n',
  'vault-client.sh':
    '#!/bin/sh\n[ "$1" = --vault-id ] || exit 3\ncase "$2" in prod) echo prod-pass;; default) echo dev-pass;; *) exit 2;; esac\n',
});
chmodSync(path.join(dir, 'pw-script.sh'), 0o755);
chmodSync(path.join(dir, 'vault-client.sh'), 0o755);

function hb(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: dir,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '1', ...env },
    timeout: 60_000,
  });
  const out = { code: r.status, stdout: r.stdout, stderr: r.stderr };
  expectNoCrash(out);
  return out;
}

const RUN = ['run', 'site.yml', '-i', 'inv/hosts.yml', '-e', '@extra.yml'];
const BOTH = ['--vault-password-file', 'pw.txt', '--vault-id', 'prod@prod.txt'];

function expectMasked(text: string): void {
  for (const s of Object.values(SECRETS)) expect(text).not.toContain(s);
}

describe('a run with vaulted values from every place', () => {
  it('reads them all, and masks them in plain output at -vvv and in the JUnit file', () => {
    const r = hb([...RUN, ...BOTH, '-vvv', '--junit', 'out.xml']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Six values, all read (the message has its six places masked).
    expect(r.stdout).toContain(Array(6).fill('********').join(' '));
    expectMasked(r.stdout + r.stderr);
    const junit = readFileSync(path.join(dir, 'out.xml'), 'utf8');
    expect(junit).toContain('show them');
    expectMasked(junit);
  });

  it('renders a vault-encrypted template decrypted, shown masked and without a diff', () => {
    writeTree(dir, {
      'templates/app.conf.j2': enc('key=template-secret-S7 on {{inventory_hostname}}\n'),
      'tpl.yml': `- hosts: all\n  gather_facts: false\n  tasks:\n    - template: { src: app.conf.j2, dest: ${dir}/out/app.conf }\n    - command: cat ${dir}/out/app.conf\n`,
    });
    mkdirSync(path.join(dir, 'out'), { recursive: true });
    const r = hb(['run', 'tpl.yml', '-i', 'inv/hosts.yml', ...BOTH, '--diff', '-v']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/app.conf'), 'utf8')).toBe('key=template-secret-S7 on h1\n');
    expect(r.stdout).toMatch(/stdout: \*{8}/);
    expect(r.stdout).not.toContain('template-secret-S7');
  });

  it('masks them in --output json events', () => {
    const r = hb([...RUN, ...BOTH, '--output', 'json']);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(events.some((e) => JSON.stringify(e).includes('******** ********'))).toBe(true);
    expectMasked(r.stdout);
  });

  it('takes passwords from a script, a *-client script given --vault-id, and the ANSIBLE_VAULT_* variables', () => {
    expect(hb([...RUN, '--vault-id', 'pw-script.sh', '--vault-id', 'prod@vault-client.sh']).code).toBe(0);
    expect(hb([...RUN, '--vault-id', 'default@vault-client.sh', '--vault-id', 'prod@vault-client.sh']).code).toBe(0);
    expect(hb(RUN, { ANSIBLE_VAULT_PASSWORD_FILE: 'pw.txt', ANSIBLE_VAULT_IDENTITY_LIST: 'prod@prod.txt' }).code).toBe(
      0,
    );
    const unknownId = hb([...RUN, ...BOTH, '--vault-id', 'other@vault-client.sh']);
    expect(unknownId.code).toBe(5);
    expect(unknownId.stderr).toMatch(
      /vault-client\.sh: the vault password script failed: it does not know vault id 'other'/,
    );
  });
});

describe("ansible.cfg's vault_password_file", () => {
  writeTree(dir, {
    'cfg-good/ansible.cfg': '[defaults]\nvault_password_file = ../pw.txt\n',
    'cfg-wrong/ansible.cfg': '[defaults]\nvault_password_file = ../wrong.txt\n',
  });
  // RUN also needs the 'prod' password, given by --vault-id: the file gives 'default'.
  const PROD_ONLY = [...RUN, '--vault-id', 'prod@prod.txt'];

  it('gives the default password, resolved next to the file, as in Ansible', () => {
    expect(hb(PROD_ONLY, { ANSIBLE_CONFIG: path.join(dir, 'cfg-good/ansible.cfg') }).code).toBe(0);
    const wrong = hb(PROD_ONLY, { ANSIBLE_CONFIG: path.join(dir, 'cfg-wrong/ansible.cfg') });
    expect(wrong.code).toBe(4);
    expect(wrong.stdout).toBe('');
  });

  it('ANSIBLE_VAULT_PASSWORD_FILE and --vault-password-file win over it', () => {
    const cfg = path.join(dir, 'cfg-wrong/ansible.cfg');
    expect(hb(PROD_ONLY, { ANSIBLE_CONFIG: cfg, ANSIBLE_VAULT_PASSWORD_FILE: 'pw.txt' }).code).toBe(0);
    expect(hb([...PROD_ONLY, '--vault-password-file', 'pw.txt'], { ANSIBLE_CONFIG: cfg }).code).toBe(0);
  });
});

describe('no password, or a wrong one: exit 4 before anything runs', () => {
  it('names each vaulted value or file it could not open, and how to give the password', () => {
    const r = hb(RUN);
    expect(r.code).toBe(4);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'site.yml:4:24: error: this !vault value is encrypted with Ansible Vault and no vault password was given',
    );
    expect(r.stderr).toMatch(/inv\/host_vars\/h1\.yml:1:20: error: this !vault value is encrypted/);
    expect(r.stderr).toMatch(
      /group_vars\/all\/vault\.yml:1:1: error: vars file .* is encrypted with Ansible Vault \(vault id 'prod'\)/,
    );
    expect(r.stderr).toMatch(/extra\.yml:1:1: error: extra vars file .* is encrypted with Ansible Vault/);
    expect(r.stderr).toContain('= give the vault password with --vault-password-file FILE');
    expect(r.stderr).toMatch(/nothing was run\.$/m);
  });

  it('a wrong password names what it tried, never the password', () => {
    const r = hb([...RUN, '--vault-password-file', 'wrong.txt', '--vault-id', 'prod@prod.txt']);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain(
      'site.yml:4:24: error: this !vault value is encrypted with Ansible Vault: no vault password given decrypts it (tried prod (--vault-id prod@prod.txt), default (--vault-password-file wrong.txt))',
    );
    expect(r.stderr).not.toContain('not-the-pass');
    expect(r.stdout).toBe('');
  });

  it('--ask-vault-pass without a terminal is a usage error that says what to use instead', () => {
    const r = hb([...RUN, '--ask-vault-pass']);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      /cannot ask for the vault password: there is no terminal; give it with --vault-password-file FILE/,
    );
  });

  it('an error message that would show a decrypted value shows it masked', () => {
    const r = hb(['run', 'bad-percentage.yml', '-i', 'inv/hosts.yml', ...BOTH]);
    expect(r.code).toBe(4);
    expect(r.stderr).toContain("max_fail_percentage: '********' is not a percentage");
    expectMasked(r.stderr + r.stdout);
  });

  it('a missing password file, or an empty one, is a usage error', () => {
    expect(hb([...RUN, '--vault-password-file', 'nope.txt']).stderr).toMatch(
      /--vault-password-file nope\.txt: the vault password file was not found/,
    );
    expect(hb([...RUN, '--vault-id', 'x@']).code).toBe(5);
  });
});

describe('the password typed on a terminal', () => {
  const hasScript = spawnSync('script', ['--version']).status === 0;
  it.skipIf(!hasScript)(
    '--ask-vault-pass prompts without echo on a TTY (script(1) gives it one)',
    async () => {
      const child = spawn(
        'script',
        ['-qec', `${process.execPath} ${BIN} vault view --ask-vault-pass secret-vars.yml`, '/dev/null'],
        {
          cwd: dir,
          env: { ...process.env, NO_COLOR: '1' },
        },
      );
      let out = '';
      const prompted = new Promise<void>((resolve) =>
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('Vault password: ')) resolve();
        }),
      );
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      await prompted;
      child.stdin.write('dev-pass\r');
      expect(await closed).toBe(0);
      expect(out).toContain(`file_token: ${SECRETS.varsFile}`);
      expect(out).not.toContain('dev-pass');
    },
    30_000,
  );
});

describe('validate, list-hosts and inventory with vaulted data', () => {
  it('inline values need no password; whole encrypted files do (they must be parsed)', () => {
    const inline = hb(['validate', 'site.yml', '-i', 'inv/hosts.yml']);
    expect(inline.code).toBe(4);
    // Only the whole files are named: the inline play and host values stay sealed.
    expect(inline.stderr).not.toContain('!vault value');
    expect(inline.stderr).toMatch(
      /group_vars\/all\/vault\.yml:1:1: error: vars file .* and no vault password was given/,
    );
    expect(inline.stderr).toMatch(/secret-vars\.yml:1:1: error: vars file .* and no vault password was given/);
    expect(inline.stderr).toMatch(/^2 errors; nothing was run\.$/m);
    const withPw = hb(['validate', 'site.yml', '-i', 'inv/hosts.yml', ...BOTH]);
    expect(withPw.stderr).toBe('');
    expect(withPw.code).toBe(0);
    // group_vars/all/vault.yml is a whole file: its password; the inline values need none.
    const hosts = hb(['list-hosts', 'inline-only.yml', '-i', 'inv/hosts.yml', '--vault-id', 'prod@prod.txt']);
    expect(hosts.code).toBe(0);
    expect(hosts.stdout).toContain('batch 1/1: h1');
  });

  it('inventory prints inline values sealed without a password, and decrypted ones masked', () => {
    const sealed = hb(['inventory', '-i', 'inv/hosts.yml', '--host', 'h1', '--vault-id', 'prod@prod.txt']);
    expect(sealed.code).toBe(0);
    const vars = JSON.parse(sealed.stdout) as Record<string, unknown>;
    expect(vars.host_token).toEqual({ __ansible_vault: expect.stringMatching(/^\$ANSIBLE_VAULT;1\.1;AES256\n/) });
    expect(vars.group_token).toBe('********');
    const open = hb(['inventory', '-i', 'inv/hosts.yml', '--list', ...BOTH]);
    expect(open.code).toBe(0);
    expectMasked(open.stdout);
  });
});

describe('herdbook vault', () => {
  const hbIn = (args: string[], input: string) =>
    spawnSync(process.execPath, [BIN, 'vault', ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });

  it('encrypts in place as a private file, refuses to encrypt twice, and decrypts back', () => {
    writeTree(dir, { 'notes.txt': 'some notes\n' });
    expect(hb(['vault', 'encrypt', '--vault-password-file', 'pw.txt', 'notes.txt']).code).toBe(0);
    expect(statSync(path.join(dir, 'notes.txt')).mode & 0o777).toBe(0o600);
    const twice = hb(['vault', 'encrypt', '--vault-password-file', 'pw.txt', 'notes.txt']);
    expect(twice.code).toBe(4);
    expect(twice.stderr).toMatch(/notes\.txt:1:1: error: notes\.txt is already encrypted; nothing to encrypt/);
    expect(hb(['vault', 'decrypt', '--vault-password-file', 'pw.txt', 'notes.txt']).code).toBe(0);
    expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('some notes\n');
    const plain = hb(['vault', 'view', '--vault-password-file', 'pw.txt', 'notes.txt']);
    expect(plain.code).toBe(4);
    expect(plain.stderr).toMatch(/notes\.txt is not Ansible Vault data/);
  });

  it('encrypt_string: names in order, stdin with --stdin-name, --output, and the result loads', () => {
    const r = hb([
      'vault',
      'encrypt_string',
      '--vault-id',
      'prod@prod.txt',
      '-n',
      'one',
      '-n',
      'two',
      'v-one',
      'v-two',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^one: !vault \|\n {10}\$ANSIBLE_VAULT;1\.2;AES256;prod\n/);
    expect(r.stdout).toMatch(/\ntwo: !vault \|\n/);
    const s = hbIn(
      ['encrypt_string', '--vault-password-file', 'pw.txt', '--stdin-name', 'piped', '--output', 'piped.yml'],
      'from-pipe',
    );
    expect(s.status).toBe(0);
    writeTree(dir, {
      'strings.yml': `${r.stdout}${readFileSync(path.join(dir, 'piped.yml'), 'utf8')}`,
      'show.yml':
        '- hosts: all\n  gather_facts: false\n  vars_files: [strings.yml]\n  tasks:\n    - debug: { msg: "{{one}}/{{two}}/{{piped}}" }\n',
    });
    const run = hb(['run', 'show.yml', '-i', 'inv/hosts.yml', ...BOTH, '--output', 'json']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('********/********/********');
  });

  it('usage errors: --output with two files, two passwords and no --encrypt-vault-id, no password and no terminal', () => {
    expect(hb(['vault', 'decrypt', '--vault-password-file', 'pw.txt', '--output', 'o', 'a', 'b']).code).toBe(5);
    const two = hb(['vault', 'encrypt_string', ...BOTH, 'x-value']);
    expect(two.code).toBe(5);
    expect(two.stderr).toMatch(
      /the vault ids prod, default are available to encrypt: choose one with --encrypt-vault-id/,
    );
    expect(hb(['vault', 'encrypt_string', ...BOTH, '--encrypt-vault-id', 'prod', 'x-value']).stdout).toMatch(
      /1\.2;AES256;prod/,
    );
    const none = hb(['vault', 'view', 'secret-vars.yml']);
    expect(none.code).toBe(5);
    expect(none.stderr).toMatch(/there is no terminal; give it with --vault-password-file FILE/);
  });
});
