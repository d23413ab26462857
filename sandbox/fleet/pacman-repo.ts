// An Arch repository of tiny packages, served over HTTP on loopback: what the pacman module
// installs on fleet nodes, never this machine's packages. No makepkg: each package is a tar
// (GNU tar, gzip) of its files and a .PKGINFO, and the database is Debian's pacman's own
// `repo-add` (which reads packages with bsdtar: libarchive-tools).
import { execFile } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import type { TinyPackage } from './apt-repo.js';
import { serveRepo } from './repo-server.js';

const run = promisify(execFile);

export type PacmanPackage = TinyPackage & { groups?: string[] };

export type PacmanRepo = {
  /** The repository's name in pacman.conf (`[herdbook]`) and its Server URL. */
  name: string;
  base: string;
  dir: string;
  /** Adds (or replaces) packages and updates the database: a newer version for `state: latest`. */
  publish(pkgs: PacmanPackage[]): Promise<void>;
  close(): Promise<void>;
};

function pkginfo(p: PacmanPackage, size: number): string {
  return [
    `pkgname = ${p.name}`,
    `pkgbase = ${p.name}`,
    `pkgver = ${p.version}`,
    `pkgdesc = herdbook test package ${p.name}`,
    'url = https://herdbook.invalid',
    'builddate = 1700000000',
    'packager = herdbook tests <tests@herdbook.invalid>',
    `size = ${size}`,
    'arch = any',
    'license = MIT',
    ...(p.groups ?? []).map((g) => `group = ${g}`),
    ...(p.depends ?? []).map((d) => `depend = ${d}`),
    '',
  ].join('\n');
}

async function buildPackage(dir: string, p: PacmanPackage): Promise<string> {
  const root = path.join(dir, 'build', `${p.name}-${p.version}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  let size = 0;
  for (const [file, content] of Object.entries(p.files ?? {})) {
    await mkdir(path.join(root, path.dirname(file)), { recursive: true });
    await writeFile(path.join(root, file), content);
    size += Buffer.byteLength(content);
  }
  await writeFile(path.join(root, '.PKGINFO'), pkginfo(p, size));
  const file = `${p.name}-${p.version}-any.pkg.tar.gz`;
  const top = (await readdir(root)).sort((a, b) => (a === '.PKGINFO' ? -1 : b === '.PKGINFO' ? 1 : a.localeCompare(b)));
  await run('tar', ['--owner=0', '--group=0', '--numeric-owner', '-czf', path.join(dir, file), '-C', root, ...top]);
  return file;
}

/** Builds the packages in `dir`, adds them to the `herdbook` database with repo-add, serves them on 127.0.0.1. */
export async function startPacmanRepo(dir: string, pkgs: PacmanPackage[]): Promise<PacmanRepo> {
  await mkdir(dir, { recursive: true });
  const name = 'herdbook';
  const publish = async (more: PacmanPackage[]) => {
    const files: string[] = [];
    for (const p of more) {
      const old = (f: string) =>
        f.startsWith(`${p.name}-`) && /^-[^-]+-[^-]+-any\.pkg\.tar\.gz$/.test(f.slice(p.name.length));
      for (const f of await readdir(dir)) if (old(f)) await rm(path.join(dir, f));
      files.push(await buildPackage(dir, p));
    }
    // repo-add replaces an older entry of the same name; -q keeps its chatter out of test logs.
    await run('repo-add', ['-q', path.join(dir, `${name}.db.tar.gz`), ...files.map((f) => path.join(dir, f))]);
  };
  await publish(pkgs);
  const server = await serveRepo(dir, ['build']);
  return { name, base: server.base, dir, publish, close: server.close };
}
