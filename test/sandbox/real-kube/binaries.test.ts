// Where the control plane binaries come from: a bin directory or the verified archive,
// unpacked once into the cache even when several workers race. Uses small stand-in
// binaries, so it runs everywhere.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { KUBE_ARCHIVE, unpackOnce, verifyArchive } from '../../../sandbox/real-kube/archive.js';
import { findKubeBinaries, kubeBinariesUnavailable } from '../../../sandbox/real-kube/binaries.js';
import { tempTree } from '../../helpers/tmp.js';

const BINS = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'];

/** A directory holding an archive of stand-in binaries that print `Kubernetes <version>`, and its SHA256SUMS. */
function archiveDir(version = 'v1.32.13', sums?: string): string {
  const dir = tempTree({});
  const bins = path.join(dir, 'bins');
  mkdirSync(bins);
  for (const b of BINS) {
    writeFileSync(path.join(bins, b), `#!/bin/sh\necho "Kubernetes ${version}"\n`);
    chmodSync(path.join(bins, b), 0o755);
  }
  const archive = path.join(dir, KUBE_ARCHIVE);
  execFileSync('tar', ['-cJf', archive, '-C', bins, ...BINS]);
  const sha = createHash('sha256').update(readFileSync(archive)).digest('hex');
  writeFileSync(path.join(dir, 'SHA256SUMS'), sums ?? `${sha}  ${KUBE_ARCHIVE}\n`);
  return dir;
}

const env = <T extends Record<string, string>>(vars: T) => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  ...vars,
});

describe('control plane binaries', () => {
  it('refuses an archive whose checksum does not match SHA256SUMS, and says so without throwing', async () => {
    const dir = archiveDir('v1.32.13', `${'0'.repeat(64)}  ${KUBE_ARCHIVE}\n`);
    const e = env({ HERDBOOK_KUBE_ARCHIVE_DIR: dir, XDG_CACHE_HOME: tempTree({}) });
    expect(await kubeBinariesUnavailable({ env: { ...e, HERDBOOK_ETCD: '/bin/true' } })).toMatch(
      /^checksum mismatch for .*: SHA256SUMS says 0{64}, the file is [0-9a-f]{64}$/,
    );
    await expect(findKubeBinaries({ env: e })).rejects.toThrow(/checksum mismatch/);
    expect(existsSync(path.join(e.XDG_CACHE_HOME, 'herdbook'))).toBe(false);
  });

  it('unpacks once: two concurrent unpacks end with one directory and no leftovers', async () => {
    const dir = archiveDir();
    const archive = path.join(dir, KUBE_ARCHIVE);
    const sha = await verifyArchive(archive);
    const cache = path.join(tempTree({}), 'cache');
    const [a, b] = await Promise.all([unpackOnce(archive, sha, cache), unpackOnce(archive, sha, cache)]);
    expect(a).toBe(b);
    expect(readdirSync(cache)).toEqual([`kube-${sha.slice(0, 16)}`]);
    expect(readdirSync(a).sort()).toEqual(BINS);
    // A third call finds it and does not unpack again.
    const before = readdirSync(cache);
    expect(await unpackOnce(archive, sha, cache)).toBe(a);
    expect(readdirSync(cache)).toEqual(before);
  });

  it('finds the binaries through the cache and warns when they are not v1.32.13', async () => {
    const e = env({ HERDBOOK_KUBE_ARCHIVE_DIR: archiveDir('v1.31.0'), XDG_CACHE_HOME: tempTree({}) });
    const b = await findKubeBinaries({ env: e });
    expect(b.version).toBe('v1.31.0');
    expect(b.warning).toMatch(/kube-apiserver is v1\.31\.0, not v1\.32\.13/);
    expect(b.apiserver.startsWith(path.join(e.XDG_CACHE_HOME, 'herdbook', 'kube-'))).toBe(true);
  });

  it('takes HERDBOOK_KUBE_BIN_DIR first, and names the binaries it lacks', async () => {
    const dir = tempTree({ 'kube-apiserver': '#!/bin/sh\necho "Kubernetes v1.32.13"\n' });
    chmodSync(path.join(dir, 'kube-apiserver'), 0o755);
    const e = env({ HERDBOOK_KUBE_BIN_DIR: dir, HERDBOOK_ETCD: '/bin/true' });
    expect(await kubeBinariesUnavailable({ env: e })).toBe(
      `HERDBOOK_KUBE_BIN_DIR=${dir} lacks kube-controller-manager, kube-scheduler (it needs all of ${BINS.join(', ')})`,
    );
    for (const b of BINS.slice(1)) writeFileSync(path.join(dir, b), '');
    expect(await kubeBinariesUnavailable({ env: e })).toBeUndefined();
    const found = await findKubeBinaries({ env: e });
    expect(found).toMatchObject({ apiserver: path.join(dir, 'kube-apiserver'), version: 'v1.32.13', source: dir });
    expect(found.warning).toBeUndefined();
  });

  it('says when there is no archive, or no etcd', async () => {
    const empty = tempTree({});
    expect(
      await kubeBinariesUnavailable({ env: env({ HERDBOOK_KUBE_ARCHIVE_DIR: empty, HERDBOOK_ETCD: '/bin/true' }) }),
    ).toBe(
      `no Kubernetes control plane binaries: set HERDBOOK_KUBE_BIN_DIR, or put ${KUBE_ARCHIVE} and SHA256SUMS in ${empty}`,
    );
    expect(await kubeBinariesUnavailable({ env: { PATH: empty } })).toMatch(/^no etcd on the PATH/);
  });
});
