// Where vault passwords come from, in Ansible's order, and how each source is read.
import { chmodSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isClientScript, loadSecrets } from '../../../engine/vault/passwords.js';
import { splitVaultId, vaultSources } from '../../../engine/vault/sources.js';
import { tempTree } from '../../helpers/tmp.js';

describe('vault password sources', () => {
  it('come in Ansible order: the identity list, --vault-id, password files, then the prompt', () => {
    const got = vaultSources(
      {
        vaultId: ['prod@p.txt', 'q.txt'],
        vaultPasswordFile: ['a.txt'],
        askVaultPass: true,
        configVaultPasswordFile: 'cfg.txt',
      },
      { ANSIBLE_VAULT_IDENTITY_LIST: 'ci@ci.sh, other@prompt', ANSIBLE_VAULT_PASSWORD_FILE: 'env.txt' },
    );
    expect(got.map((s) => `${s.id}@${s.source} (${s.via})`)).toEqual([
      'ci@ci.sh (ANSIBLE_VAULT_IDENTITY_LIST)',
      'other@prompt (ANSIBLE_VAULT_IDENTITY_LIST)',
      'prod@p.txt (--vault-id)',
      'default@q.txt (--vault-id)',
      'default@a.txt (--vault-password-file)',
      'default@env.txt (ANSIBLE_VAULT_PASSWORD_FILE)',
      'default@prompt (--ask-vault-pass)',
    ]);
    // ansible.cfg's vault_password_file counts only when the variable is not set.
    expect(vaultSources({ configVaultPasswordFile: 'cfg.txt' }, {})).toEqual([
      { id: 'default', source: 'cfg.txt', via: 'ansible.cfg vault_password_file' },
    ]);
  });

  it("split at the first '@'; a label may not hold ';' and a source must be named", () => {
    expect(splitVaultId('a@b@c', 'x')).toEqual({ id: 'a', source: 'b@c', via: 'x' });
    expect(splitVaultId('@prompt', 'x')).toEqual({ id: 'default', source: 'prompt', via: 'x' });
    expect(() => splitVaultId('a;b@f', '--vault-id')).toThrow(/may not contain ';'/);
    expect(() => splitVaultId('a@', '--vault-id')).toThrow(/say where the password comes from/);
  });

  it('a file is stripped of surrounding whitespace; a script of line breaks only; a *-client gets --vault-id', async () => {
    const dir = tempTree({
      'pw.txt': '\t  two words \r\n\n',
      'pw.sh': '#!/bin/sh\nprintf "  spaced  \\r\\n"\n',
      'ids-client.py': '#!/bin/sh\necho "pw-for-$2"\n',
    });
    chmodSync(path.join(dir, 'pw.sh'), 0o755);
    chmodSync(path.join(dir, 'ids-client.py'), 0o755);
    const got = await loadSecrets([
      { id: 'default', source: path.join(dir, 'pw.txt'), via: '--vault-password-file' },
      { id: 'default', source: path.join(dir, 'pw.sh'), via: '--vault-password-file' },
      { id: 'prod', source: path.join(dir, 'ids-client.py'), via: '--vault-id' },
    ]);
    expect(got.map((s) => s.password.toString())).toEqual(['two words', '  spaced  ', 'pw-for-prod']);
    expect(isClientScript('/x/vault-client')).toBe(true);
    expect(isClientScript('/x/vault-client.sh')).toBe(true);
    expect(isClientScript('/x/client.sh')).toBe(false);
  });
});
