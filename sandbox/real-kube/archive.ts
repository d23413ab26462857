// The control plane archive: checked against its SHA256SUMS, then unpacked once into a
// cache shared by every process on the machine. Test workers start at the same moment, so
// each unpacks into its own temporary directory beside the cache entry and renames it into
// place; rename is atomic, and the loser of the race uses the winner's directory.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { HerdbookError } from '../../engine/errors.js';

export const KUBE_ARCHIVE = 'kube-v1.32.13-linux-amd64.tar.xz';
export const KUBE_BINARIES = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'] as const;

export class RealKubeError extends HerdbookError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_REAL_KUBE', message, options);
  }
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** The expected digest of `name` in a SHA256SUMS file (`<hex>  <name>`, `*` for binary mode). */
export async function expectedSha256(sumsFile: string, name: string): Promise<string | undefined> {
  const text = await readFile(sumsFile, 'utf8').catch(() => undefined);
  for (const line of text?.split('\n') ?? []) {
    const m = /^([0-9a-f]{64})\s+\*?(.+?)\s*$/i.exec(line);
    if (m && m[2] === name) return m[1].toLowerCase();
  }
  return undefined;
}

/** The archive's digest when it matches SHA256SUMS beside it; a RealKubeError saying why otherwise. */
export async function verifyArchive(archive: string): Promise<string> {
  const sums = path.join(path.dirname(archive), 'SHA256SUMS');
  const want = await expectedSha256(sums, path.basename(archive));
  if (!want) throw new RealKubeError(`${sums} has no checksum for ${path.basename(archive)}`);
  const got = await sha256File(archive);
  if (got !== want)
    throw new RealKubeError(`checksum mismatch for ${archive}: SHA256SUMS says ${want}, the file is ${got}`);
  return got;
}

export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'herdbook');
}

const hasAll = (dir: string) => KUBE_BINARIES.every((b) => existsSync(path.join(dir, b)));

/**
 * The directory holding the unpacked binaries of a verified archive, unpacking it on first
 * use. The directory is named by the digest, so a new archive never reuses an old unpack.
 */
export async function unpackOnce(archive: string, sha256: string, cacheDir = cacheRoot()): Promise<string> {
  const target = path.join(cacheDir, `kube-${sha256.slice(0, 16)}`);
  if (hasAll(target)) return target;
  await mkdir(cacheDir, { recursive: true });
  const tmp = await mkdtemp(path.join(cacheDir, `.kube-${sha256.slice(0, 16)}-`));
  try {
    await promisify(execFile)('tar', ['-xJf', archive, '-C', tmp], { maxBuffer: 1 << 20 });
    if (!hasAll(tmp)) throw new RealKubeError(`${archive} does not hold ${KUBE_BINARIES.join(', ')}`);
    try {
      await rename(tmp, target);
    } catch (e) {
      // ENOTEMPTY/EEXIST: another process renamed its copy first; use that one.
      if (!hasAll(target)) throw e;
    }
  } catch (e) {
    if (e instanceof RealKubeError) throw e;
    throw new RealKubeError(`cannot unpack ${archive} into ${cacheDir}: ${(e as Error).message}`, { cause: e });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return target;
}
