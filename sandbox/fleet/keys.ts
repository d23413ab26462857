// Throwaway keys made with the real ssh-keygen, so they are exactly what users' keys look like.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';
import { fingerprint } from '../../engine/connection/ssh/known-hosts.js';

const run = promisify(execFile);

export type GeneratedKey = { path: string; publicKey: string; blob: Buffer; fingerprint: string };

/** ed25519 key pair at `path` / `path.pub`; an empty passphrase leaves it unencrypted. Replaces any old pair. */
export async function generateKey(path: string, comment: string, passphrase = ''): Promise<GeneratedKey> {
  await rm(path, { force: true });
  await rm(`${path}.pub`, { force: true });
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', path]);
  return readPublicKey(path);
}

export async function readPublicKey(path: string): Promise<GeneratedKey> {
  const publicKey = (await readFile(`${path}.pub`, 'utf8')).trim();
  const blob = Buffer.from(publicKey.split(/\s+/)[1], 'base64');
  return { path, publicKey, blob, fingerprint: fingerprint(blob) };
}
