// Reading apt and dpkg: what is installed (dpkg-query), what apt would install (apt-cache
// policy's candidate), what `apt-get -s` says it would do, and Ansible's `prepared` diff of it.
// Pure text in, data out.

/** dpkg-query -W -f '${Package}\t${db:Status-Abbrev}\t${Version}\n': installed packages → version ("ii"). */
export function parseDpkgQuery(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [name, status, version] = line.split('\t');
    if (name && status?.startsWith('ii') && version) out[name.replace(/:[a-z0-9]+$/, '')] = version;
  }
  return out;
}

/** apt-cache policy NAME...: each package's candidate version (absent: apt knows no such package). */
export function parsePolicy(text: string): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  let current: string | undefined;
  for (const line of text.split('\n')) {
    const head = /^(\S+):$/.exec(line);
    if (head) current = head[1].replace(/:[a-z0-9]+$/, '');
    const cand = /^\s+Candidate:\s*(\S+)/.exec(line);
    if (cand && current) out[current] = cand[1] === '(none)' ? null : cand[1];
  }
  return out;
}

export type Simulated = { action: 'install' | 'upgrade' | 'remove'; name: string; version: string };

/** `apt-get -s` lines: `Inst pkg (1.0 repo [all])`, `Inst pkg [0.9] (1.0 ...)`, `Remv pkg [1.0]`. */
export function parseSimulation(text: string): Simulated[] {
  const out: Simulated[] = [];
  for (const line of text.split('\n')) {
    const inst = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+)/.exec(line);
    if (inst) out.push({ action: inst[2] ? 'upgrade' : 'install', name: inst[1], version: inst[3] });
    const remv = /^Remv (\S+)(?: \[([^\]]+)\])?/.exec(line);
    if (remv) out.push({ action: 'remove', name: remv[1], version: remv[2] ?? '' });
  }
  return out;
}

/** Ansible's apt parse_diff: the output after "Reading state information..." through "N upgraded, ...". */
export function preparedDiff(output: string): string {
  const lines = output.split('\n');
  let start = lines.indexOf('Resolving dependencies...');
  if (start < 0) start = lines.indexOf('Reading state information...');
  const end = lines.findIndex((l) => /^[0-9]+ (packages )?upgraded/.test(l));
  return lines.slice(start + 1, end < 0 ? lines.length : end + 1).join('\n');
}

/** `name` or `name=version` (Ansible's package_split for the `=` form). */
export function splitSpec(spec: string): { name: string; version?: string } {
  const eq = spec.indexOf('=');
  return eq < 0 ? { name: spec } : { name: spec.slice(0, eq), version: spec.slice(eq + 1) };
}

/** A lock another apt or dpkg holds (unattended-upgrades on a fresh Pi): retried until lock_timeout. */
export const LOCK_HELD =
  /Could not get lock|Unable to acquire the dpkg frontend lock|Unable to lock (the )?(administration )?directory|is another process using it/;

/** dpkg stopped halfway: apt-get refuses everything until `dpkg --configure -a`. */
export const DPKG_INTERRUPTED = /dpkg was interrupted/;
