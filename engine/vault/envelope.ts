// The text around Ansible Vault ciphertext: a `$ANSIBLE_VAULT;1.1;AES256` header (1.2 adds a
// vault id label), then the hexlified vaulttext in 80-column lines. Read like Ansible's
// parse_vaulttext_envelope: header fields split on ';', every later line joined, whitespace ignored.
import { HerdbookError } from '../errors.js';

export const VAULT_HEADER = '$ANSIBLE_VAULT';

export type Envelope = {
  version: string;
  cipher: string;
  /** The label of a 1.2 envelope; undefined for 1.1 (Ansible reads those as 'default'). */
  vaultId?: string;
  salt: Buffer;
  /** The HMAC-SHA256 of the ciphertext, as stored (32 bytes). */
  hmac: Buffer;
  ciphertext: Buffer;
};

/** Vault data that cannot be read as such (not hex, missing parts): no password can open it. */
export class VaultFormatError extends HerdbookError {
  constructor(message: string) {
    super('E_VAULT_FORMAT', message);
  }
}

export function isVaultText(text: string | Buffer): boolean {
  const head = typeof text === 'string' ? text.slice(0, VAULT_HEADER.length) : text.subarray(0, 14).toString('latin1');
  return head === VAULT_HEADER;
}

const HEX = /^(?:[0-9a-fA-F]{2})*$/;

function unhex(text: string, what: string): Buffer {
  if (!HEX.test(text)) throw new VaultFormatError(`the ${what} is not hexadecimal text`);
  return Buffer.from(text, 'hex');
}

export function parseEnvelope(text: string): Envelope {
  const lines = text.trim().split(/\r?\n|\r/);
  const header = lines[0].trim().split(';');
  if (header[0] !== VAULT_HEADER || header.length < 3)
    throw new VaultFormatError(`the first line must be ${VAULT_HEADER};1.1;AES256 or ${VAULT_HEADER};1.2;AES256;LABEL`);
  const version = header[1].trim();
  const cipher = header[2].trim();
  if (version !== '1.1' && version !== '1.2') throw new VaultFormatError(`unknown vault format version ${version}`);
  if (cipher !== 'AES256') throw new VaultFormatError(`unknown vault cipher ${cipher} (Ansible writes AES256)`);
  const vaultId = header.length >= 4 ? header[3].trim() : undefined;
  const body = lines
    .slice(1)
    .map((l) => l.trim())
    .join('');
  const parts = unhex(body, 'vault body').toString('latin1').split('\n');
  if (parts.length !== 3) throw new VaultFormatError('the vault body must hold a salt, an HMAC and the ciphertext');
  const hmac = unhex(parts[1], 'HMAC');
  if (hmac.length !== 32) throw new VaultFormatError('the HMAC must be 32 bytes');
  return { version, cipher, vaultId, salt: unhex(parts[0], 'salt'), hmac, ciphertext: unhex(parts[2], 'ciphertext') };
}

/** The envelope Ansible writes: 1.1 without a label or for 'default', 1.2 with one; a trailing newline. */
export function formatEnvelope(e: Pick<Envelope, 'salt' | 'hmac' | 'ciphertext'>, vaultId?: string): string {
  const labelled = vaultId !== undefined && vaultId !== '' && vaultId !== 'default';
  const header = labelled ? `${VAULT_HEADER};1.2;AES256;${vaultId}` : `${VAULT_HEADER};1.1;AES256`;
  const body = Buffer.from(
    [e.salt.toString('hex'), e.hmac.toString('hex'), e.ciphertext.toString('hex')].join('\n'),
    'latin1',
  ).toString('hex');
  const lines = [header];
  for (let i = 0; i < body.length; i += 80) lines.push(body.slice(i, i + 80));
  return lines.join('\n') + '\n';
}
