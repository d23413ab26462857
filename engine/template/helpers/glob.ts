// Python's glob.glob(dir/pattern) for one folder level, as the fileglob lookup uses it: the files
// (not folders) whose names match, hidden names only when the pattern starts with a dot.
import { opendirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fnmatchSource } from '../../fnmatch.js';

/** In the folder's own order, as Python's os.scandir reads it (readdirSync would sort them). */
export function globFiles(dir: string, pattern: string): string[] {
  const names: string[] = [];
  try {
    const d = opendirSync(dir);
    try {
      for (let e = d.readSync(); e; e = d.readSync()) names.push(e.name);
    } finally {
      d.closeSync();
    }
  } catch {
    return [];
  }
  const re = new RegExp(`^${fnmatchSource(pattern)}$`, 's');
  return names
    .filter((n) => re.test(n) && (pattern.startsWith('.') || !n.startsWith('.')))
    .map((n) => path.join(dir, n))
    .filter((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
}
