// Where kube-apiserver, kube-controller-manager and kube-scheduler come from: a directory
// named by HERDBOOK_KUBE_BIN_DIR (all three: envtest's assets lack the controller manager and
// the scheduler, without which there is no default ServiceAccount, no node lifecycle taints
// and no scheduling), otherwise the archive in HERDBOOK_KUBE_ARCHIVE_DIR or ../shared/kube/
// beside the package, verified and unpacked once into the cache.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_ROOT } from '../../engine/paths.js';
import { cacheRoot, KUBE_ARCHIVE, KUBE_BINARIES, RealKubeError, unpackOnce, verifyArchive } from './archive.js';

export const EXPECTED_KUBE_VERSION = 'v1.32.13';

export type KubeBinaries = {
  apiserver: string;
  controllerManager: string;
  scheduler: string;
  /** `Kubernetes v1.32.13` → `v1.32.13`. */
  version: string;
  /** Set when the binaries are not the version the project is tested with. */
  warning?: string;
  /** Where they came from, for messages: the bin dir or the archive. */
  source: string;
};

export type BinariesOptions = { env?: NodeJS.ProcessEnv; cacheDir?: string };

type Source = { kind: 'dir'; dir: string } | { kind: 'archive'; archive: string };

/** Which source applies, or why there is none; reads the environment and the file system only. */
export function binarySource(env: NodeJS.ProcessEnv = process.env): Source | { kind: 'none'; why: string } {
  const dir = env.HERDBOOK_KUBE_BIN_DIR;
  if (dir) {
    if (!existsSync(dir)) return { kind: 'none', why: `HERDBOOK_KUBE_BIN_DIR=${dir} does not exist` };
    const missing = KUBE_BINARIES.filter((b) => !existsSync(path.join(dir, b)));
    if (missing.length)
      return {
        kind: 'none',
        why: `HERDBOOK_KUBE_BIN_DIR=${dir} lacks ${missing.join(', ')} (it needs all of ${KUBE_BINARIES.join(', ')})`,
      };
    return { kind: 'dir', dir };
  }
  const archiveDir = env.HERDBOOK_KUBE_ARCHIVE_DIR || path.join(PACKAGE_ROOT, '..', 'shared', 'kube');
  const archive = path.join(archiveDir, KUBE_ARCHIVE);
  if (!existsSync(archive))
    return {
      kind: 'none',
      why: `no Kubernetes control plane binaries: set HERDBOOK_KUBE_BIN_DIR, or put ${KUBE_ARCHIVE} and SHA256SUMS in ${archiveDir}`,
    };
  return { kind: 'archive', archive };
}

/** The environment that points at `dir`: the three binaries themselves, or the archive and its SHA256SUMS. */
export function envForKubeDir(dir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const key =
    existsSync(path.join(dir, KUBE_ARCHIVE)) && !existsSync(path.join(dir, 'kube-apiserver'))
      ? 'HERDBOOK_KUBE_ARCHIVE_DIR'
      : 'HERDBOOK_KUBE_BIN_DIR';
  return { ...env, [key]: path.resolve(dir) };
}

/** etcd from HERDBOOK_ETCD or the PATH (Debian's etcd-server installs /usr/bin/etcd). */
export function findEtcd(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.HERDBOOK_ETCD) return existsSync(env.HERDBOOK_ETCD) ? env.HERDBOOK_ETCD : undefined;
  for (const dir of (env.PATH ?? '/usr/bin:/bin').split(path.delimiter)) {
    if (dir && existsSync(path.join(dir, 'etcd'))) return path.join(dir, 'etcd');
  }
  return undefined;
}

/** undefined when etcd and the binaries can be had; otherwise one line saying why not. Never throws. */
export async function kubeBinariesUnavailable(options: BinariesOptions = {}): Promise<string | undefined> {
  if (!findEtcd(options.env)) return 'no etcd on the PATH (Debian: apt-get install etcd-server; or set HERDBOOK_ETCD)';
  const source = binarySource(options.env);
  if (source.kind === 'none') return source.why;
  if (source.kind === 'dir') return undefined;
  try {
    await verifiedArchive(source.archive);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

// One verification per archive file per process: hashing 51 MB takes a few hundred ms.
const verified = new Map<string, Promise<string>>();

function verifiedArchive(archive: string): Promise<string> {
  let p = verified.get(archive);
  if (!p) {
    p = verifyArchive(archive);
    verified.set(archive, p);
    p.catch(() => verified.delete(archive));
  }
  return p;
}

export async function kubeVersion(apiserver: string): Promise<string> {
  const { stdout } = await promisify(execFile)(apiserver, ['--version'], { timeout: 30_000 });
  const m = /v\d+\.\d+\.\d+\S*/.exec(stdout);
  if (!m) throw new RealKubeError(`${apiserver} --version printed no version: ${stdout.trim()}`);
  return m[0];
}

/** The binaries, ready to run; a RealKubeError naming what is missing or wrong. */
export async function findKubeBinaries(options: BinariesOptions = {}): Promise<KubeBinaries> {
  const source = binarySource(options.env);
  if (source.kind === 'none') throw new RealKubeError(source.why);
  let dir: string;
  if (source.kind === 'dir') dir = source.dir;
  else
    dir = await unpackOnce(
      source.archive,
      await verifiedArchive(source.archive),
      options.cacheDir ?? cacheRoot(options.env),
    );
  const apiserver = path.join(dir, 'kube-apiserver');
  const version = await kubeVersion(apiserver).catch((e: Error) => {
    throw new RealKubeError(`cannot run ${apiserver}: ${e.message}`, { cause: e });
  });
  const warning =
    version === EXPECTED_KUBE_VERSION
      ? undefined
      : `${apiserver} is ${version}, not ${EXPECTED_KUBE_VERSION} (the version herdbook is tested with)`;
  return {
    apiserver,
    controllerManager: path.join(dir, 'kube-controller-manager'),
    scheduler: path.join(dir, 'kube-scheduler'),
    version,
    warning,
    source: source.kind === 'dir' ? source.dir : source.archive,
  };
}
