// The fake's shell scripts ship as files under assets/ (sandbox/k3s-fake/assets), beside this
// source. Compiled code runs from dist/ (tsc's output, or the bundled CLI), which has no copy of
// them: there they are found from the package root.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from '../../engine/paths.js';

export type AssetName = 'k3s.sh' | 'install.sh' | 'pct.sh';

/** The directory holding the fake's shell scripts (with a trailing slash). */
export function assetsDir(): string {
  const candidates = [
    fileURLToPath(new URL('./assets/', import.meta.url)),
    `${path.join(PACKAGE_ROOT, 'sandbox', 'k3s-fake', 'assets')}/`,
  ];
  const dir = candidates.find((d) => existsSync(`${d}k3s.sh`));
  if (!dir) throw new Error(`k3s-fake assets not found (looked in ${candidates.join(', ')})`);
  return dir;
}

export async function readAsset(name: AssetName): Promise<string> {
  return readFile(`${assetsDir()}${name}`, 'utf8');
}
