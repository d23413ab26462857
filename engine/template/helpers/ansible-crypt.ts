// Ansible's password_hash for the SHA-crypt schemes (sha512, sha256), as passlib computes it
// with Ansible's settings (ansible/utils/encrypt.py): rounds default to crypt's 656000 (sha512)
// or 535000 (sha256), written in the hash; 5000 is implied and not written; a given salt is used
// as it is (at most 16 characters of ./0-9A-Za-z), else a random one of salt_size (16) characters.
import { randomInt } from 'node:crypto';
import type { HelperFn } from '../evaluate.js';
import { shaCrypt, type ShaCryptId } from './sha-crypt.js';
import { asText } from '../../text.js';

const SCHEMES: Record<string, [id: ShaCryptId, rounds: number]> = {
  sha512: ['6', 656000],
  sha512_crypt: ['6', 656000],
  sha256: ['5', 535000],
  sha256_crypt: ['5', 535000],
};
const SALT_CHARS = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function passwordHash(
  secret: unknown,
  hashtype: unknown = 'sha512',
  opts: { salt?: unknown; salt_size?: unknown; rounds?: unknown } = {},
): string {
  const name = asText(hashtype);
  const scheme = Object.prototype.hasOwnProperty.call(SCHEMES, name) ? SCHEMES[name] : undefined;
  if (!scheme) throw new Error(`password_hash: '${asText(hashtype)}' is not supported; use sha512 or sha256`);
  let salt = opts.salt === undefined || opts.salt === null || opts.salt === '' ? undefined : asText(opts.salt);
  if (salt !== undefined) {
    if (!/^[./0-9A-Za-z]*$/.test(salt)) throw new Error('password_hash: the salt may hold only ./0-9A-Za-z');
    if (salt.length > 16) throw new Error('password_hash: the salt is longer than 16 characters');
  } else {
    const n = opts.salt_size === undefined || opts.salt_size === null ? 16 : Number(opts.salt_size);
    if (!Number.isInteger(n) || n < 0 || n > 16) throw new Error('password_hash: salt_size must be 0 to 16');
    salt = Array.from({ length: n }, () => SALT_CHARS[randomInt(SALT_CHARS.length)]).join('');
  }
  const rounds =
    opts.rounds === undefined || opts.rounds === null || opts.rounds === 0 ? scheme[1] : Number(opts.rounds);
  if (!Number.isInteger(rounds) || rounds < 1000 || rounds > 999_999_999)
    throw new Error('password_hash: rounds must be an integer from 1000 to 999999999');
  return shaCrypt(scheme[0], asText(secret), salt, rounds);
}

export const cryptHelpers: Record<string, HelperFn> = {
  password_hash: ([secret, hashtype, salt], hash) =>
    passwordHash(secret, hashtype ?? 'sha512', {
      salt: salt ?? hash.salt,
      salt_size: hash.salt_size,
      rounds: hash.rounds,
    }),
};
