// Where the package's own files are (schemas/, playbooks/), whether running from dist/ or from source.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'schemas'))) return dir;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the herdbook package root (schemas/ missing)');
}

export const PACKAGE_ROOT = findRoot();
export const SCHEMAS_DIR = path.join(PACKAGE_ROOT, 'schemas');
