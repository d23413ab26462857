// Vaulted data in every place the loaders read variables from: inline `!vault` values through
// both YAML paths, and files encrypted as a whole (vars files, group_vars/, host_vars/ and their
// directories, -e @file, YAML and INI inventories). Data from engine/vault, which
// test/engine/vault/ansible-vault.test.ts holds to the real ansible-vault.
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { indexGroups } from '../../../engine/inventory/groups.js';
import { inventoryVars } from '../../../engine/inventory/host-vars.js';
import { loadInventory } from '../../../engine/inventory/load.js';
import { parseExtraVars } from '../../../engine/load/extra-vars.js';
import { loadYamlFile } from '../../../engine/load/files.js';
import { infoOf } from '../../../engine/load/positions.js';
import { loadVarsDir } from '../../../engine/load/vars-dir.js';
import { carefulParse, parseYamlText } from '../../../engine/load/yaml.js';
import { encryptText, type VaultSecret } from '../../../engine/vault/codec.js';
import { newVaultSession, withVault, type VaultSession } from '../../../engine/vault/session.js';
import { tempTree } from '../../helpers/tmp.js';

const pw = (id: string, password: string): VaultSecret => ({ id, password: Buffer.from(password), source: 'test' });
const DEV = pw('default', 'dev-password');
const PROD = pw('prod', 'prod-password');
const enc = (text: string, s = DEV) => encryptText(text, s);
/** `key: !vault |` and the envelope indented under it, as ansible-vault encrypt_string writes it. */
const inline = (key: string, text: string, s = DEV, indent = '') =>
  `${indent}${key}: !vault |\n${enc(text, s)
    .trimEnd()
    .split('\n')
    .map((l) => `${indent}  ${l}`)
    .join('\n')}\n`;

const session = (secrets: VaultSecret[], require: VaultSession['require'] = 'all') => newVaultSession(secrets, require);

describe('inline !vault values', () => {
  const doc = `plain: 1\n${inline('token', 'tok-secret-1')}list:\n  - !vault |\n${enc('item-secret-2')
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n  - after\n`;

  it('both YAML paths read them to the same value, at the same place', () => {
    const s = session([DEV]);
    const fast = withVault(s, () => parseYamlText('f.yaml', doc));
    const careful = withVault(s, () => carefulParse('f.yaml', doc));
    expect(fast.diagnostics).toEqual([]);
    expect(careful.diagnostics).toEqual([]);
    expect(fast.value).toEqual({ plain: 1, token: 'tok-secret-1', list: ['item-secret-2', 'after'] });
    expect(careful.value).toEqual(fast.value);
    expect(infoOf(fast.value as object)?.values).toEqual(infoOf(careful.value as object)?.values);
    expect(s.revealed).toEqual(new Set(['tok-secret-1', 'item-secret-2']));
    // A document that is one vaulted string.
    const root = `!vault |\n${enc('root-secret').replace(/^/gm, '  ')}`;
    expect(withVault(s, () => parseYamlText('f.yaml', root)).value).toBe('root-secret');
    expect(withVault(s, () => carefulParse('f.yaml', root)).value).toBe('root-secret');
  });

  it('without a password, both paths name the same file:line:col and give no value', () => {
    for (const parse of [parseYamlText, carefulParse]) {
      const r = withVault(session([]), () => parse('f.yaml', doc));
      expect(r.value).toBeUndefined();
      expect(r.diagnostics.map((d) => `${d.pos?.line}:${d.pos?.col} ${d.message}`)).toEqual([
        '2:15 this !vault value is encrypted with Ansible Vault and no vault password was given',
        '10:12 this !vault value is encrypted with Ansible Vault and no vault password was given',
      ]);
      expect(r.diagnostics[0].hint).toMatch(/--vault-password-file FILE/);
    }
  });

  it('a wrong password names the vault id and the password tried; never a half-decrypted value', () => {
    const text = inline('token', 'x', PROD);
    const r = withVault(session([DEV]), () => parseYamlText('f.yaml', text));
    expect(r.value).toBeUndefined();
    expect(r.diagnostics[0].message).toBe(
      "this !vault value is encrypted with Ansible Vault (vault id 'prod'): no vault password given decrypts it (tried default (test))",
    );
    expect(r.diagnostics[0].hint).toMatch(/--vault-id prod@FILE/);
  });

  it('stays sealed, as ansible-inventory shows it, where passwords are only checked when given (validate)', () => {
    const r = withVault(session([], 'given'), () => parseYamlText('f.yaml', inline('token', 'x')));
    expect(r.diagnostics).toEqual([]);
    expect((r.value as { token: { __ansible_vault: string } }).token.__ansible_vault).toMatch(/^\$ANSIBLE_VAULT;1\.1/);
  });

  it('outside any command (no session) a vaulted value is an error, not a value', () => {
    const r = parseYamlText('f.yaml', inline('token', 'x'));
    expect(r.value).toBeUndefined();
    expect(r.diagnostics).toHaveLength(1);
  });

  it('is refused on a mapping, and a broken envelope says what is wrong', () => {
    const onMap = withVault(session([DEV]), () => parseYamlText('f.yaml', 'a: !vault\n  b: 1\n'));
    expect(onMap.diagnostics[0].message).toMatch(/!vault/);
    expect(onMap.diagnostics[0].hint).toMatch(/one encrypted string/);
    const broken = withVault(session([DEV]), () =>
      parseYamlText('f.yaml', 'a: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n  zz\n'),
    );
    expect(broken.diagnostics[0]).toMatchObject({
      message: 'this !vault value is not readable Ansible Vault data: the vault body is not hexadecimal text',
      pos: { line: 1, col: 11 },
    });
  });
});

describe('files encrypted as a whole, and inline values, wherever variables come from', () => {
  const dir = tempTree({
    'vars.yml': enc('db_password: file-secret-3\nport: 5432\n'),
    'group_vars/all/vars.yml': `plain: p\n${inline('inline_token', 'inline-secret-4')}`,
    'group_vars/all/vault.yml': enc('vault_token: group-secret-5\n', PROD),
    'group_vars/web.yml': enc('web_key: web-secret-6\n'),
    'host_vars/h1.yml': enc('h1_key: host-secret-7\n'),
    'inv/hosts.yml': enc('all:\n  hosts:\n    h1:\n      ansible_connection: local\n      inv_token: inv-secret-8\n'),
    'inv2/hosts.ini': enc('[web]\nh2 ansible_connection=local ini_token=ini-secret-9\n'),
    'inv3/hosts.yml': `all:\n  hosts:\n    h3:\n${inline('inline_inv', 'inv-secret-10', DEV, '      ')}`,
    'extra.yml': enc('extra_token: extra-secret-11\n'),
  });
  const at = (...p: string[]) => path.join(dir, ...p);
  const both = () => session([DEV, PROD]);

  it('a vars file', () => {
    const s = both();
    const r = withVault(s, () => loadYamlFile(at('vars.yml'), 'vars file'));
    expect(r.diagnostics).toEqual([]);
    expect(r.value).toEqual({ db_password: 'file-secret-3', port: 5432 });
    // Every string of a decrypted vars file is a secret.
    expect(s.revealed.has('file-secret-3')).toBe(true);
  });

  it('group_vars/ (a directory with vault.yml, a file) and host_vars/', () => {
    const s = both();
    const g = withVault(s, () => loadVarsDir(at('group_vars')));
    expect(g.diagnostics).toEqual([]);
    expect(g.byName.get('all')).toEqual({ plain: 'p', inline_token: 'inline-secret-4', vault_token: 'group-secret-5' });
    expect(g.byName.get('web')).toEqual({ web_key: 'web-secret-6' });
    const h = withVault(s, () => loadVarsDir(at('host_vars')));
    expect(h.byName.get('h1')).toEqual({ h1_key: 'host-secret-7' });
    for (const v of ['inline-secret-4', 'group-secret-5', 'web-secret-6', 'host-secret-7'])
      expect(s.revealed).toContain(v);
  });

  it('group_vars/all/vault.yml without its password: the file is named, at line 1', () => {
    const g = withVault(session([DEV]), () => loadVarsDir(at('group_vars')));
    expect(g.diagnostics).toEqual([
      expect.objectContaining({
        message: `vars file ${at('group_vars/all/vault.yml')} is encrypted with Ansible Vault (vault id 'prod'): no vault password given decrypts it (tried default (test))`,
        pos: { file: at('group_vars/all/vault.yml'), line: 1, col: 1 },
      }),
    ]);
    // A whole file must be parsed: even validate (passwords checked only when given) needs it.
    const v = withVault(session([], 'given'), () => loadVarsDir(at('group_vars')));
    expect(v.diagnostics.map((d) => d.message)).toEqual([
      expect.stringMatching(
        /vault\.yml is encrypted with Ansible Vault \(vault id 'prod'\) and no vault password was given$/,
      ),
      expect.stringMatching(/web\.yml is encrypted with Ansible Vault and no vault password was given$/),
    ]);
  });

  it('-e @file', () => {
    const s = both();
    const r = withVault(s, () => parseExtraVars([`@${at('extra.yml')}`]));
    expect(r).toEqual({ vars: { extra_token: 'extra-secret-11' }, diagnostics: [] });
    expect(s.revealed).toContain('extra-secret-11');
  });

  it('inventories: a YAML one encrypted whole, an INI one encrypted whole, inline values in YAML, and their vars dirs', () => {
    const s = both();
    const r = withVault(s, () => loadInventory([at('inv/hosts.yml'), at('inv2/hosts.ini'), at('inv3/hosts.yml')]));
    expect(r.diagnostics).toEqual([]);
    const idx = indexGroups(r.inventory);
    expect(inventoryVars(r.inventory, idx, 'h1')).toMatchObject({ inv_token: 'inv-secret-8' });
    expect(inventoryVars(r.inventory, idx, 'h2')).toMatchObject({ ini_token: 'ini-secret-9' });
    expect(inventoryVars(r.inventory, idx, 'h3')).toMatchObject({ inline_inv: 'inv-secret-10' });
    expect(s.revealed).toContain('inv-secret-8');
    expect(s.revealed).toContain('ini-secret-9');
    expect(s.revealed).toContain('inv-secret-10');
    const none = withVault(session([]), () => loadInventory([at('inv/hosts.yml')]));
    expect(none.diagnostics[0].message).toMatch(
      /^inventory .*hosts\.yml is encrypted with Ansible Vault and no vault password was given$/,
    );
  });
});
