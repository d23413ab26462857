// The files a run left on its hosts: everything below its out directory, with type, mode,
// owner and content (small text as is, the rest by digest), paths relative to it.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import type { FileEntry } from './outcome.js';

let users: Map<number, string> | undefined;

function owner(uid: number): string {
  users ??= new Map(
    readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(':'))
      .map((f) => [Number(f[2]), f[0]] as [number, string]),
  );
  return users.get(uid) ?? String(uid);
}

export function snapshot(root: string, normalize: (s: string) => string): Record<string, FileEntry> {
  const out: Record<string, FileEntry> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = path.join(dir, name);
      const st = lstatSync(p);
      const rel = path.relative(root, p);
      const base = { mode: (st.mode & 0o7777).toString(8).padStart(4, '0'), owner: owner(st.uid) };
      if (st.isSymbolicLink()) out[rel] = { type: 'link', ...base, content: normalize(readlinkSync(p)) };
      else if (st.isDirectory()) {
        out[rel] = { type: 'dir', ...base };
        walk(p);
      } else {
        const data = readFileSync(p);
        const text =
          data.length <= 4096 && !data.includes(0)
            ? normalize(data.toString('utf8'))
            : `sha256:${createHash('sha256').update(data).digest('hex')}`;
        out[rel] = { type: 'file', ...base, content: text };
      }
    }
  };
  walk(root);
  return out;
}
