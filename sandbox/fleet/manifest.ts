// fleet.json: the pids of a fleet's sshds, so a later process can stop it (stopFleet).
import { access, constants, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fleetPaths } from './layout.js';
import { stopSshd } from './node-process.js';

export type Manifest = { nodes: { name: string; pid: number; port: number }[] };

// Nodes start in parallel: write a complete manifest beside the old one and rename it over.
export async function writeManifest(file: string, nodes: Manifest['nodes']): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(tmp, JSON.stringify({ nodes }, null, 2));
  await rename(tmp, file);
}

/** Stops a fleet started by another process, from the pids it wrote into `stateDir`. */
export async function stopFleet(stateDir: string): Promise<void> {
  const manifest = fleetPaths(path.resolve(stateDir)).manifest;
  try {
    await access(manifest, constants.R_OK);
  } catch {
    return;
  }
  const { nodes } = JSON.parse(await readFile(manifest, 'utf8')) as Manifest;
  await Promise.all(nodes.map((n) => stopSshd(path.resolve(stateDir), n.name, n.pid)));
  await writeManifest(manifest, []);
}
