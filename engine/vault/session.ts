// The vault passwords of one command, scoped with AsyncLocalStorage (the house way for scoped
// settings): every loader below the command, including include_vars and copy during the run,
// reads vaulted data through it without a password parameter threaded through every call.
import { AsyncLocalStorage } from 'node:async_hooks';
import { decryptText, type Opened, type VaultSecret } from './codec.js';

export type VaultSession = {
  secrets: readonly VaultSecret[];
  /**
   * 'all' (run): every vaulted value must decrypt, before anything runs. 'given' (validate,
   * list-*, inventory): inline `!vault` values that no password given opens stay sealed;
   * whole encrypted files, which must be parsed, still need theirs.
   */
  require: 'all' | 'given';
  /** Every decrypted value: masked in all output. */
  revealed: Set<string>;
  /** Envelope → plaintext: a file read twice costs one key derivation. */
  cache: Map<string, Buffer>;
};

const storage = new AsyncLocalStorage<VaultSession>();

export function newVaultSession(secrets: readonly VaultSecret[], require: VaultSession['require']): VaultSession {
  return { secrets, require, revealed: new Set(), cache: new Map() };
}

export function withVault<T>(session: VaultSession, fn: () => T): T {
  return storage.run(session, fn);
}

/** Outside any command (a library call, a unit test): no passwords, and every vaulted value is an error. */
const NONE = newVaultSession([], 'all');

export function currentVault(): VaultSession {
  return storage.getStore() ?? NONE;
}

export function openVaulted(session: VaultSession, envelope: string): Opened {
  const hit = session.cache.get(envelope);
  if (hit) return { ok: true, plaintext: hit, id: '' };
  const r = decryptText(envelope, session.secrets);
  if (r.ok) session.cache.set(envelope, r.plaintext);
  return r;
}

/** Remember a decrypted value (and its trimmed form, as commands print it) as a secret. */
export function reveal(session: VaultSession, value: string): void {
  for (const v of [value, value.trim()]) if (v) session.revealed.add(v);
}

/** Every string inside a value decrypted as a whole file (a vault.yml): each is a secret. */
export function revealStrings(session: VaultSession, value: unknown): void {
  if (typeof value === 'string') reveal(session, value);
  else if (Array.isArray(value)) for (const v of value) revealStrings(session, v);
  else if (value && typeof value === 'object') for (const v of Object.values(value)) revealStrings(session, v);
}

export const HOW_TO_GIVE =
  'give the vault password with --vault-password-file FILE, --vault-id [LABEL@]FILE|prompt or --ask-vault-pass (or set ANSIBLE_VAULT_PASSWORD_FILE)';
