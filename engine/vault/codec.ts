// Vault data in and out with a list of passwords, as Ansible's VaultLib does: the password whose
// label matches the envelope's vault id is tried first, then every other one (the label is a hint,
// not part of the authenticated data).
import { decryptBytes, encryptBytes } from './cipher.js';
import { UsageError } from '../errors.js';
import { formatEnvelope, isVaultText, parseEnvelope, VaultFormatError } from './envelope.js';

export type VaultSecret = {
  /** The vault id label ('default' for --vault-password-file and --ask-vault-pass). */
  id: string;
  password: Buffer;
  /** Where it came from, for messages: "--vault-password-file pw.txt", "prompt". Never the password. */
  source: string;
};

export type Opened =
  | { ok: true; plaintext: Buffer; id: string }
  | { ok: false; why: 'format' | 'no-password' | 'wrong-password'; vaultId?: string; reason: string };

export function encryptText(plaintext: string | Buffer, secret: VaultSecret): string {
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  if (isVaultText(data)) throw new VaultFormatError('input is already encrypted');
  return formatEnvelope(encryptBytes(data, secret.password), secret.id);
}

export function decryptText(envelope: string, secrets: readonly VaultSecret[]): Opened {
  let parsed;
  try {
    parsed = parseEnvelope(envelope);
  } catch (e) {
    if (e instanceof VaultFormatError)
      return { ok: false, why: 'format', reason: `not readable Ansible Vault data: ${e.message}` };
    throw e;
  }
  const vaultId = parsed.vaultId;
  if (!secrets.length) return { ok: false, why: 'no-password', vaultId, reason: 'no vault password was given' };
  const ordered = [...secrets.filter((s) => s.id === vaultId), ...secrets.filter((s) => s.id !== vaultId)];
  for (const s of ordered) {
    const plaintext = decryptBytes(parsed, s.password);
    if (plaintext) return { ok: true, plaintext, id: s.id };
  }
  const tried = secrets.map((s) => `${s.id} (${s.source})`).join(', ');
  return { ok: false, why: 'wrong-password', vaultId, reason: `no vault password given decrypts it (tried ${tried})` };
}

/** Which secret encrypts: the one named by --encrypt-vault-id, or the only one given. */
export function encryptSecret(secrets: readonly VaultSecret[], encryptId?: string): VaultSecret {
  if (encryptId) {
    const s = secrets.find((x) => x.id === encryptId);
    if (!s)
      throw new UsageError(
        `--encrypt-vault-id ${encryptId} names none of the vault ids given (${secrets.map((x) => x.id).join(', ')})`,
      );
    return s;
  }
  if (secrets.length > 1)
    throw new UsageError(
      `the vault ids ${secrets.map((x) => x.id).join(', ')} are available to encrypt: choose one with --encrypt-vault-id`,
    );
  return secrets[0];
}
