// Reading dnf (and yum's compatible CLI): `rpm -q` for what is installed, and the transaction
// table `dnf --assumeno` prints for what it would do. Pure text in, data out.

/** rpm -q --qf '%{NAME}\t%{EPOCH}:%{VERSION}-%{RELEASE}\n': "package x is not installed" lines have no tab. */
export function parseRpmQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [name, evr] = line.split('\t');
    if (name && evr) out[name] = evr.replace(/^\(none\):/, '');
  }
  return out;
}

export type Transaction = {
  action: 'install' | 'upgrade' | 'remove';
  name: string;
  version: string;
  dependency: boolean;
};

const SECTIONS: Record<string, Transaction['action']> = {
  Installing: 'install',
  'Installing dependencies': 'install',
  'Installing weak dependencies': 'install',
  Upgrading: 'upgrade',
  Removing: 'remove',
  'Removing dependent packages': 'remove',
  'Removing unused dependencies': 'remove',
};

/** The rows of dnf's transaction table: " name  arch  version  repo  size" under "Installing:" and friends. */
export function parseTransaction(text: string): Transaction[] {
  const out: Transaction[] = [];
  let action: Transaction['action'] | undefined;
  let dependency = false;
  for (const line of text.split('\n')) {
    const head = /^([A-Z][A-Za-z ]+):$/.exec(line.trim());
    if (head && !line.startsWith(' ')) {
      action = SECTIONS[head[1]];
      dependency = /depend/.test(head[1]);
      continue;
    }
    if (!action) continue;
    if (!line.startsWith(' ') || line.trim() === '') {
      action = undefined;
      continue;
    }
    const f = line.trim().split(/\s+/);
    if (f.length >= 4) out.push({ action, name: f[0], version: f[2], dependency });
  }
  return out;
}

/** "No match for argument: x" (dnf) / "No package x available." (yum): the names no repository has. */
export function missingPackages(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(/No match for argument: (\S+)|No package (\S+) available/g)) out.add(m[1] ?? m[2]);
  return [...out];
}
