// A Debian repository of tiny packages, built with dpkg-deb and served over HTTP on loopback:
// what the package modules install on fleet nodes, never this machine's real package set.
// A flat repository (`deb [trusted=yes] http://127.0.0.1:PORT ./`) with Packages and a Release
// that lists its checksums, as apt expects.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { serveRepo } from './repo-server.js';

const run = promisify(execFile);

export type TinyPackage = {
  name: string;
  version: string;
  depends?: string[];
  /** Files the package installs: absolute path on the node → content (keep them under the node's private paths). */
  files?: Record<string, string>;
};

export type AptRepo = {
  /** The sources.list line for this repository. */
  source: string;
  base: string;
  dir: string;
  /** Adds (or replaces) packages and rewrites the index: a newer version for `state: latest`. */
  publish(pkgs: TinyPackage[]): Promise<void>;
  close(): Promise<void>;
};

function control(p: TinyPackage): string {
  return [
    `Package: ${p.name}`,
    `Version: ${p.version}`,
    'Architecture: all',
    'Maintainer: herdbook tests <tests@herdbook.invalid>',
    ...(p.depends?.length ? [`Depends: ${p.depends.join(', ')}`] : []),
    `Description: herdbook test package ${p.name}`,
    '',
  ].join('\n');
}

async function buildDeb(dir: string, p: TinyPackage): Promise<string> {
  const root = path.join(dir, 'build', `${p.name}_${p.version}`);
  await rm(root, { recursive: true, force: true });
  await mkdir(path.join(root, 'DEBIAN'), { recursive: true });
  await writeFile(path.join(root, 'DEBIAN', 'control'), control(p));
  for (const [file, content] of Object.entries(p.files ?? {})) {
    await mkdir(path.join(root, path.dirname(file)), { recursive: true });
    await writeFile(path.join(root, file), content);
  }
  const deb = path.join(dir, 'pool', `${p.name}_${p.version}_all.deb`);
  await mkdir(path.dirname(deb), { recursive: true });
  await run('dpkg-deb', ['--root-owner-group', '-Zgzip', '--build', root, deb]);
  return deb;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function writeIndex(dir: string): Promise<void> {
  const pool = path.join(dir, 'pool');
  const stanzas: string[] = [];
  for (const f of (await readdir(pool)).sort()) {
    const deb = path.join(pool, f);
    const { stdout } = await run('dpkg-deb', ['-f', deb]);
    const data = await readFile(deb);
    stanzas.push(
      `${stdout.trimEnd()}\nFilename: pool/${f}\nSize: ${(await stat(deb)).size}\nSHA256: ${sha256(data)}\n`,
    );
  }
  const packages = Buffer.from(stanzas.join('\n'));
  await writeFile(path.join(dir, 'Packages'), packages);
  const release = `Origin: herdbook-tests\nLabel: herdbook-tests\nDate: ${new Date().toUTCString()}\nSHA256:\n ${sha256(packages)} ${packages.length} Packages\n`;
  await writeFile(path.join(dir, 'Release'), release);
}

/** Builds the packages in `dir` and serves them on 127.0.0.1 (a free port). */
export async function startAptRepo(dir: string, pkgs: TinyPackage[]): Promise<AptRepo> {
  await mkdir(path.join(dir, 'pool'), { recursive: true });
  const publish = async (more: TinyPackage[]) => {
    for (const p of more) {
      for (const f of await readdir(path.join(dir, 'pool')))
        if (f.startsWith(`${p.name}_`)) await rm(path.join(dir, 'pool', f));
      await buildDeb(dir, p);
    }
    await writeIndex(dir);
  };
  await publish(pkgs);
  const server = await serveRepo(dir, ['build']);
  const base = server.base;
  return {
    source: `deb [trusted=yes] ${base} ./`,
    base,
    dir,
    publish,
    close: server.close,
  };
}
