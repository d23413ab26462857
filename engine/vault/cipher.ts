// Ansible Vault's AES256 cipher (VaultAES256): PBKDF2-HMAC-SHA256 over the password and a 32-byte
// salt, 10,000 iterations, 80 bytes = AES key, HMAC key, counter IV; the plaintext PKCS7-padded
// to 16 bytes and encrypted with AES-256-CTR; an HMAC-SHA256 of the ciphertext authenticates it.
import { createCipheriv, createDecipheriv, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Envelope } from './envelope.js';

const ITERATIONS = 10_000;
const KEY_BYTES = 32;
const IV_BYTES = 16;
const BLOCK = 16;

type Keys = { aes: Buffer; hmac: Buffer; iv: Buffer };

function deriveKeys(password: Buffer, salt: Buffer): Keys {
  const k = pbkdf2Sync(password, salt, ITERATIONS, 2 * KEY_BYTES + IV_BYTES, 'sha256');
  return { aes: k.subarray(0, KEY_BYTES), hmac: k.subarray(KEY_BYTES, 2 * KEY_BYTES), iv: k.subarray(2 * KEY_BYTES) };
}

// CTR needs no padding, but Ansible pads anyway (its format has always done so): 1-16 bytes.
function pad(data: Buffer): Buffer {
  const n = BLOCK - (data.length % BLOCK);
  return Buffer.concat([data, Buffer.alloc(n, n)]);
}

function unpad(data: Buffer): Buffer | undefined {
  const n = data.length ? data[data.length - 1] : 0;
  if (n < 1 || n > BLOCK || n > data.length) return undefined;
  for (let i = data.length - n; i < data.length; i++) if (data[i] !== n) return undefined;
  return data.subarray(0, data.length - n);
}

function ctr(key: Buffer, iv: Buffer, data: Buffer, decrypt: boolean): Buffer {
  const c = decrypt ? createDecipheriv('aes-256-ctr', key, iv) : createCipheriv('aes-256-ctr', key, iv);
  return Buffer.concat([c.update(data), c.final()]);
}

export function encryptBytes(
  plaintext: Buffer,
  password: Buffer,
  salt: Buffer = randomBytes(32),
): Pick<Envelope, 'salt' | 'hmac' | 'ciphertext'> {
  const k = deriveKeys(password, salt);
  const ciphertext = ctr(k.aes, k.iv, pad(plaintext), false);
  const hmac = createHmac('sha256', k.hmac).update(ciphertext).digest();
  return { salt, hmac, ciphertext };
}

/** The plaintext, or undefined when this password is not the one (the HMAC does not match). */
export function decryptBytes(e: Pick<Envelope, 'salt' | 'hmac' | 'ciphertext'>, password: Buffer): Buffer | undefined {
  const k = deriveKeys(password, e.salt);
  const expected = createHmac('sha256', k.hmac).update(e.ciphertext).digest();
  // Constant time: how much of a forged HMAC matched must not show in the timing.
  if (expected.length !== e.hmac.length || !timingSafeEqual(expected, e.hmac)) return undefined;
  return unpad(ctr(k.aes, k.iv, e.ciphertext, true));
}
