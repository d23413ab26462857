// The vault codec on its own: the envelope, the cipher, password order, and refusals.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decryptBytes, encryptBytes } from '../../../engine/vault/cipher.js';
import { decryptText, encryptSecret, encryptText, type VaultSecret } from '../../../engine/vault/codec.js';
import { formatEnvelope, parseEnvelope, VaultFormatError } from '../../../engine/vault/envelope.js';

const secret = (id: string, password: string): VaultSecret => ({ id, password: Buffer.from(password), source: 'test' });

describe('the vault envelope', () => {
  it('writes 1.1 without a label or for default, 1.2 with one, in 80-column lines ending with a newline', () => {
    const parts = encryptBytes(Buffer.from('x'.repeat(200)), Buffer.from('pw'));
    const v11 = formatEnvelope(parts);
    expect(v11.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    expect(formatEnvelope(parts, 'default').split('\n')[0]).toBe('$ANSIBLE_VAULT;1.1;AES256');
    const v12 = formatEnvelope(parts, 'prod');
    expect(v12.split('\n')[0]).toBe('$ANSIBLE_VAULT;1.2;AES256;prod');
    const body = v12.split('\n').slice(1, -1);
    expect(body.slice(0, -1).every((l) => l.length === 80)).toBe(true);
    expect(body.at(-1)!.length).toBeLessThanOrEqual(80);
    expect(v12.endsWith('\n')).toBe(true);
    const back = parseEnvelope(v12);
    expect(back.vaultId).toBe('prod');
    expect(back.salt.equals(parts.salt)).toBe(true);
    expect(back.ciphertext.equals(parts.ciphertext)).toBe(true);
  });

  it('reads an envelope indented and re-wrapped, as a YAML block leaves it', () => {
    const text = encryptText('hello', secret('default', 'pw'));
    const indented = text
      .trim()
      .split('\n')
      .map((l) => `    ${l}  `)
      .join('\r\n');
    expect(decryptText(indented, [secret('default', 'pw')])).toMatchObject({ ok: true });
  });

  it.each([
    ['$ANSIBLE_VAULT;1.1;AES256\nzz', /not hexadecimal/],
    ['$ANSIBLE_VAULT;1.1;AES256\n6162', /salt, an HMAC and the ciphertext/],
    ['$ANSIBLE_VAULT;1.3;AES256\n6162', /unknown vault format version 1.3/],
    ['$ANSIBLE_VAULT;1.1;AES128\n6162', /unknown vault cipher AES128/],
    ['$ANSIBLE_VAULT\n6162', /first line must be/],
  ])('refuses %j', (text, why) => {
    expect(() => parseEnvelope(text)).toThrow(VaultFormatError);
    expect(() => parseEnvelope(text)).toThrow(why);
  });
});

describe('the AES256 cipher', () => {
  it('round-trips every padding length, and an empty plaintext', () => {
    for (let n = 0; n <= 33; n++) {
      const data = randomBytes(n);
      const e = encryptBytes(data, Buffer.from('pw'));
      expect(e.ciphertext.length).toBe((Math.floor(n / 16) + 1) * 16);
      expect(decryptBytes(e, Buffer.from('pw'))!.equals(data)).toBe(true);
    }
  });

  it('a wrong password or a changed byte gives nothing, never garbage', () => {
    const e = encryptBytes(Buffer.from('secret'), Buffer.from('pw'));
    expect(decryptBytes(e, Buffer.from('pw2'))).toBeUndefined();
    const flipped = Buffer.from(e.ciphertext);
    flipped[0] ^= 1;
    expect(decryptBytes({ ...e, ciphertext: flipped }, Buffer.from('pw'))).toBeUndefined();
    const hmac = Buffer.from(e.hmac);
    hmac[31] ^= 1;
    expect(decryptBytes({ ...e, hmac }, Buffer.from('pw'))).toBeUndefined();
  });

  it('is deterministic for a given salt (the salt is the only randomness)', () => {
    const salt = Buffer.alloc(32, 7);
    const a = encryptBytes(Buffer.from('same'), Buffer.from('pw'), salt);
    const b = encryptBytes(Buffer.from('same'), Buffer.from('pw'), salt);
    expect(a.ciphertext.equals(b.ciphertext) && a.hmac.equals(b.hmac)).toBe(true);
    expect(encryptBytes(Buffer.from('same'), Buffer.from('pw')).salt.equals(salt)).toBe(false);
  });
});

describe('passwords tried in order', () => {
  it('tries the password whose label matches first, then the others (the label is only a hint)', () => {
    const text = encryptText('v', secret('prod', 'prodpw'));
    const r = decryptText(text, [secret('dev', 'devpw'), secret('other', 'prodpw')]);
    expect(r).toMatchObject({ ok: true, id: 'other' });
    expect(decryptText(text, [secret('dev', 'devpw'), secret('prod', 'prodpw')])).toMatchObject({
      ok: true,
      id: 'prod',
    });
  });

  it('says which passwords were tried, never what they are', () => {
    const r = decryptText(encryptText('v', secret('prod', 'prodpw')), [secret('dev', 'devpw')]);
    expect(r).toMatchObject({ ok: false, why: 'wrong-password', vaultId: 'prod' });
    expect(JSON.stringify(r)).not.toContain('devpw');
    expect(decryptText(encryptText('v', secret('default', 'a')), [])).toMatchObject({ ok: false, why: 'no-password' });
  });

  it('refuses to encrypt vault data twice, and needs --encrypt-vault-id among several passwords', () => {
    const text = encryptText('v', secret('default', 'pw'));
    expect(() => encryptText(text, secret('default', 'pw'))).toThrow(/already encrypted/);
    const two = [secret('a', '1'), secret('b', '2')];
    expect(() => encryptSecret(two)).toThrow(/--encrypt-vault-id/);
    expect(encryptSecret(two, 'b').id).toBe('b');
    expect(() => encryptSecret(two, 'c')).toThrow(/names none of the vault ids given \(a, b\)/);
  });
});
