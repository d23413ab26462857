// known_hosts as OpenSSH writes it: plain and hashed (`|1|salt|hash`) host fields, `[host]:port`
// for non-22 ports, wildcards and `!` negations, `@revoked` / `@cert-authority` markers.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';

export type KnownHostEntry = {
  file: string;
  /** 1-based, as `ssh-keygen -R` and editors count. */
  line: number;
  marker?: 'revoked' | 'cert-authority';
  hosts: string;
  keyType: string;
  /** The base64 key blob as written. */
  key: string;
};

/** What known_hosts says about a presented key. */
export type HostKeyVerdict =
  | { kind: 'match'; entry: KnownHostEntry }
  | { kind: 'revoked'; entry: KnownHostEntry }
  /** A key of the same type is known and differs: the host key changed. */
  | { kind: 'changed'; entry: KnownHostEntry }
  /** Only keys of other types are known for this host. */
  | { kind: 'other-type'; entries: KnownHostEntry[] }
  | { kind: 'unknown' };

/** `host` for port 22, `[host]:port` otherwise: the name OpenSSH looks up and writes. */
export function hostToken(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** `SHA256:<base64 without padding>` of a key blob, as `ssh-keygen -l` prints it. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(keyBlob: Buffer): string {
  const len = keyBlob.readUInt32BE(0);
  return keyBlob.subarray(4, 4 + len).toString('latin1');
}

/** A hashed host field (`|1|salt|hash`), as `HashKnownHosts yes` writes it. */
export function hashHost(token: string, salt: Buffer = randomBytes(20)): string {
  const hash = createHmac('sha1', salt).update(token).digest('base64');
  return `|1|${salt.toString('base64')}|${hash}`;
}

export function knownHostsLine(token: string, keyBlob: Buffer, opts: { hashed?: boolean } = {}): string {
  const hosts = opts.hashed ? hashHost(token) : token;
  return `${hosts} ${keyTypeOf(keyBlob)} ${keyBlob.toString('base64')}`;
}

export function parseKnownHosts(text: string, file: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const words = raw.trim().split(/\s+/);
    if (words[0] === '' || words[0].startsWith('#')) return;
    let marker: KnownHostEntry['marker'];
    if (words[0].startsWith('@')) {
      const m = words.shift()!.slice(1);
      if (m !== 'revoked' && m !== 'cert-authority') return;
      marker = m;
    }
    if (words.length < 3) return;
    entries.push({ file, line: i + 1, marker, hosts: words[0], keyType: words[1], key: words[2] });
  });
  return entries;
}

export async function readKnownHosts(files: readonly string[]): Promise<KnownHostEntry[]> {
  const all: KnownHostEntry[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw e;
    }
    all.push(...parseKnownHosts(text, file));
  }
  return all;
}

function globToRegExp(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

function hashedMatches(field: string, token: string): boolean {
  const [, , salt, hash] = field.split('|');
  if (!salt || !hash) return false;
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(token).digest('base64') === hash;
}

/** Whether an entry's host field names `token` (`host` or `[host]:port`). */
export function hostsFieldMatches(field: string, token: string): boolean {
  if (field.startsWith('|1|')) return hashedMatches(field, token);
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    const p = negated ? pattern.slice(1) : pattern;
    if (!globToRegExp(p).test(token)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

export function entriesFor(entries: readonly KnownHostEntry[], token: string): KnownHostEntry[] {
  return entries.filter((e) => e.marker !== 'cert-authority' && hostsFieldMatches(e.hosts, token));
}

export function verifyHostKey(entries: readonly KnownHostEntry[], token: string, keyBlob: Buffer): HostKeyVerdict {
  const mine = entriesFor(entries, token);
  const b64 = keyBlob.toString('base64');
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key === b64);
  if (revoked) return { kind: 'revoked', entry: revoked };
  const valid = mine.filter((e) => e.marker === undefined);
  const match = valid.find((e) => e.key === b64);
  if (match) return { kind: 'match', entry: match };
  const type = keyTypeOf(keyBlob);
  const sameType = valid.find((e) => e.keyType === type);
  if (sameType) return { kind: 'changed', entry: sameType };
  if (valid.length > 0) return { kind: 'other-type', entries: valid };
  return { kind: 'unknown' };
}

/** Key types known for a host, to offer them first (as OpenSSH does) so a known key is negotiated. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], token: string): string[] {
  return [
    ...new Set(
      entriesFor(entries, token)
        .filter((e) => !e.marker)
        .map((e) => e.keyType),
    ),
  ];
}
