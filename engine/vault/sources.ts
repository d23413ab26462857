// Where vault passwords come from, in Ansible's order: ANSIBLE_VAULT_IDENTITY_LIST, then each
// --vault-id, then each --vault-password-file (and ANSIBLE_VAULT_PASSWORD_FILE) as 'default',
// then --ask-vault-pass. A source is a file, an executable script, or 'prompt'.
import { UsageError } from '../errors.js';

export type VaultSource = { id: string; source: string; via: string };

export type VaultSourceOptions = {
  vaultId?: readonly string[];
  /** --vault-password-file, repeatable. */
  vaultPasswordFile?: readonly string[];
  /** ansible.cfg's [defaults] vault_password_file: used when ANSIBLE_VAULT_PASSWORD_FILE is not set, as in Ansible. */
  configVaultPasswordFile?: string;
  askVaultPass?: boolean;
};

const DEFAULT_ID = 'default';

/** 'label@source' or 'source' (label 'default'), split at the first '@' like Ansible. */
export function splitVaultId(spec: string, via: string): VaultSource {
  const at = spec.indexOf('@');
  const id = at < 0 ? DEFAULT_ID : spec.slice(0, at) || DEFAULT_ID;
  const source = at < 0 ? spec : spec.slice(at + 1);
  if (id.includes(';')) throw new UsageError(`${via} ${spec}: a vault id may not contain ';'`);
  if (!source) throw new UsageError(`${via} ${spec}: say where the password comes from: LABEL@FILE or LABEL@prompt`);
  return { id, source, via };
}

export function vaultSources(o: VaultSourceOptions, env: NodeJS.ProcessEnv = process.env): VaultSource[] {
  const out: VaultSource[] = [];
  for (const spec of (env.ANSIBLE_VAULT_IDENTITY_LIST ?? '').split(',').map((s) => s.trim()))
    if (spec) out.push(splitVaultId(spec, 'ANSIBLE_VAULT_IDENTITY_LIST'));
  for (const spec of o.vaultId ?? []) out.push(splitVaultId(spec, '--vault-id'));
  for (const file of o.vaultPasswordFile ?? [])
    out.push({ id: DEFAULT_ID, source: file, via: '--vault-password-file' });
  // One setting in Ansible (DEFAULT_VAULT_PASSWORD_FILE): the variable wins over ansible.cfg.
  if (env.ANSIBLE_VAULT_PASSWORD_FILE)
    out.push({ id: DEFAULT_ID, source: env.ANSIBLE_VAULT_PASSWORD_FILE, via: 'ANSIBLE_VAULT_PASSWORD_FILE' });
  else if (o.configVaultPasswordFile)
    out.push({ id: DEFAULT_ID, source: o.configVaultPasswordFile, via: 'ansible.cfg vault_password_file' });
  if (o.askVaultPass) out.push({ id: DEFAULT_ID, source: 'prompt', via: '--ask-vault-pass' });
  return out;
}
