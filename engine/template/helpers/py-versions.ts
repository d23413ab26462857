// Python's LooseVersion and StrictVersion, which Ansible's `version` test compares with
// (herdbook's own version_compare reads k3s tags; a translated `is version` must mean Ansible's).
type Part = number | string;

function loose(v: string): Part[] {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

function strict(v: string): Part[] {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new Error(`invalid version number '${v}'`);
  // No prerelease sorts after any prerelease: 'z' is above 'a' and 'b'.
  return [Number(m[1]), Number(m[2]), Number(m[4] ?? 0), m[5] ? m[5][0] : 'z', Number(m[6] ?? 0)];
}

function compareParts(a: Part[], b: Part[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (typeof a[i] !== typeof b[i])
      throw new Error(`cannot compare ${JSON.stringify(a[i])} with ${JSON.stringify(b[i])} in a version`);
    if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return Math.sign(a.length - b.length);
}

/** -1, 0 or 1, as Ansible's version test compares (version_type loose or strict). */
export function comparePyVersions(a: string, b: string, type: 'loose' | 'strict' = 'loose'): number {
  const parse = type === 'strict' ? strict : loose;
  return compareParts(parse(a), parse(b));
}
