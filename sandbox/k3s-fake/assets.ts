// The fake's shell scripts ship as files under assets/ (sandbox/k3s-fake/assets). Compiled code
// runs from dist/, which has no copy of them, so look there too.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export type AssetName = 'k3s.sh' | 'install.sh' | 'pct.sh';

// Beside the source; from dist/sandbox/k3s-fake (tsc's output); from dist/engine (the bundled CLI).
const CANDIDATES = ['./assets/', '../../../sandbox/k3s-fake/assets/', '../../sandbox/k3s-fake/assets/'];

/** The directory holding the fake's shell scripts. */
export function assetsDir(): string {
  for (const rel of CANDIDATES) {
    const dir = fileURLToPath(new URL(rel, import.meta.url));
    if (existsSync(`${dir}k3s.sh`)) return dir;
  }
  throw new Error(`k3s-fake assets not found (looked in ${CANDIDATES.join(', ')} next to ${import.meta.url})`);
}

export async function readAsset(name: AssetName): Promise<string> {
  return readFile(`${assetsDir()}${name}`, 'utf8');
}
