// The vault flags every command that reads playbooks or inventories shares, and the vault
// session they open: passwords read once, before anything is loaded, and every error message
// masked of what was decrypted. ansible.cfg's vault_password_file joins `vaultPasswordFile`.
import type { Command } from 'commander';
import { HerdbookError, InputError, TemplateError } from '../errors.js';
import { maskText } from '../report/mask.js';
import { loadSecrets } from '../vault/passwords.js';
import { newVaultSession, withVault, type VaultSession } from '../vault/session.js';
import { vaultSources, type VaultSource, type VaultSourceOptions } from '../vault/sources.js';

export type VaultFlags = VaultSourceOptions;

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function vaultOptions(cmd: Command): Command {
  return cmd
    .option('--vault-id <[label@]source>', 'a vault password: a file, a script or "prompt" (repeatable)', collect)
    .option(
      '--vault-password-file <file>',
      'the vault password: a file, or a script that prints it (repeatable)',
      collect,
    )
    .option('-J, --ask-vault-pass', 'ask for the vault password (on a terminal, not echoed)');
}

/** The passwords the flags, ansible.cfg and ANSIBLE_VAULT_* name, read now (a script run, a prompt answered). */
export async function openVaultSession(
  flags: VaultFlags,
  require: VaultSession['require'],
  env: NodeJS.ProcessEnv = process.env,
): Promise<VaultSession> {
  return openVaultSources(vaultSources(flags, env), require);
}

/** The same from sources already resolved (label, source, which flag named it). */
export async function openVaultSources(
  sources: readonly VaultSource[],
  require: VaultSession['require'],
): Promise<VaultSession> {
  return newVaultSession(await loadSecrets(sources), require);
}

/** Run a command inside its vault session; an error leaving it has every decrypted value masked. */
export async function withVaultSession<T>(session: VaultSession, fn: () => T | Promise<T>): Promise<T> {
  try {
    return await withVault(session, fn);
  } catch (e) {
    throw maskError(e, session.revealed);
  }
}

function maskError(e: unknown, secrets: ReadonlySet<string>): unknown {
  if (!secrets.size || !(e instanceof HerdbookError)) return e;
  const m = (s: string | undefined) => (s === undefined ? s : maskText(s, secrets));
  if (e instanceof InputError)
    return new InputError(
      e.diagnostics.map((d) => ({ ...d, message: m(d.message)!, hint: m(d.hint) })),
      { cause: e },
    );
  if (e instanceof TemplateError)
    return new TemplateError(m(e.message)!, { pos: e.pos, hint: m(e.hint), variable: e.variable, code: e.code });
  e.message = m(e.message)!;
  return e;
}
