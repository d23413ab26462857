// get_url's checksum argument, as Ansible 2.14 reads it: `<algorithm>:<hex>` or
// `<algorithm>:<URL>` of a checksum file (sha256sum's format, or a lone digest), in which the
// line for the URL's file name is the one that counts. Pure: the file is fetched elsewhere.
import { ModuleError } from '../../engine/index-module.js';

export const ALGORITHMS = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export type ChecksumSpec = { algorithm: Algorithm; digest: string } | { algorithm: Algorithm; url: string };

/** The last path component of a URL, as Ansible's url_filename names a download ('index.html' for none). */
export function urlFilename(url: string): string {
  // Python's urlsplit path, undecoded, as Ansible takes it.
  const p = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(url)?.[1] ?? url.split(/[?#]/)[0];
  const base = p.slice(p.lastIndexOf('/') + 1);
  return base === '' ? 'index.html' : base;
}

/** Ansible strips everything but letters, digits and _ (a pasted zero-width space) and lower-cases. */
function cleanDigest(raw: string): string {
  const d = raw.replace(/\W+/g, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(d)) throw new ModuleError('The checksum format is invalid');
  return d;
}

export function parseChecksum(arg: string): ChecksumSpec | undefined {
  if (arg === '') return undefined;
  const colon = arg.indexOf(':');
  if (colon < 0) throw new ModuleError('The checksum parameter has to be in format <algorithm>:<checksum>');
  const algorithm = arg.slice(0, colon).toLowerCase() as Algorithm;
  if (!ALGORITHMS.includes(algorithm))
    throw new ModuleError(`unsupported checksum algorithm ${algorithm}: one of ${ALGORITHMS.join(', ')}`);
  const value = arg.slice(colon + 1);
  if (/^(https?|ftp|file):/i.test(value)) {
    if (!/^https?:\/\//i.test(value))
      throw new ModuleError(`checksum file ${value}: herdbook fetches checksum files over http:// and https:// only`);
    return { algorithm, url: value };
  }
  return { algorithm, digest: cleanDigest(value) };
}

/** The digest for `filename` in a checksum file (Ansible's reading of `sha256sum` output). */
export function digestFromFile(text: string, filename: string, checksumUrl: string): string {
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines[lines.length - 1] === '') lines.pop();
  if (lines.length === 1 && lines[0].split(/\s+/).filter(Boolean).length === 1) return cleanDigest(lines[0]);
  for (const line of lines) {
    const sp = line.indexOf(' ');
    if (sp < 0) continue;
    let name = line.slice(sp + 1);
    // ' ' marks text mode and '*' binary mode in sha256sum's output.
    if (name.startsWith(' ') || name.startsWith('*')) name = name.slice(1);
    // Python's lstrip('./'): every leading '.' and '/'.
    name = name.replace(/^[./]+/, '');
    if (name === filename) return cleanDigest(line.slice(0, sp));
  }
  throw new ModuleError(`Unable to find a checksum for file '${filename}' in '${checksumUrl}'`);
}
