// k3s release tags (v1.32.5+k3s1): semver with the k3s revision in the build metadata.
// Plain semver ignores build metadata, but +k3s2 is a newer release than +k3s1.

export type K3sVersion = {
  major: number;
  minor: number;
  patch: number;
  prerelease: string[];
  /** The k3s revision (the N of +k3sN); 0 when absent. */
  revision: number;
  raw: string;
};

const TAG = /^v?(\d+)\.(\d+)(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+(?:k3s)?(\d+)?[0-9A-Za-z.-]*)?$/;

export function parseVersion(text: string): K3sVersion | undefined {
  const m = TAG.exec(String(text).trim());
  if (!m) return undefined;
  return {
    major: Number(m[1]),
    minor: Number(m[2]),
    patch: Number(m[3] ?? 0),
    prerelease: m[4] ? m[4].split('.') : [],
    revision: Number(m[5] ?? 0),
    raw: String(text).trim(),
  };
}

export function mustParseVersion(text: string): K3sVersion {
  const v = parseVersion(text);
  if (!v) throw new Error(`'${text}' is not a version (expected something like v1.32.5+k3s1)`);
  return v;
}

function comparePre(a: string[], b: string[]): number {
  // A release sorts after its prereleases (semver §11).
  if (!a.length || !b.length) return (b.length ? 1 : 0) - (a.length ? 1 : 0);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] === undefined) return -1;
    if (b[i] === undefined) return 1;
    const na = /^\d+$/.test(a[i]) ? Number(a[i]) : NaN;
    const nb = /^\d+$/.test(b[i]) ? Number(b[i]) : NaN;
    if (!Number.isNaN(na) && !Number.isNaN(nb)) {
      if (na !== nb) return na < nb ? -1 : 1;
    } else if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

export function compareVersions(a: K3sVersion | string, b: K3sVersion | string): number {
  const x = typeof a === 'string' ? mustParseVersion(a) : a;
  const y = typeof b === 'string' ? mustParseVersion(b) : b;
  for (const k of ['major', 'minor', 'patch'] as const) if (x[k] !== y[k]) return x[k] < y[k] ? -1 : 1;
  const pre = comparePre(x.prerelease, y.prerelease);
  if (pre) return pre;
  return Math.sign(x.revision - y.revision);
}

/** 'v1.32' for v1.32.5+k3s1: the channel id of its minor. */
export function minorChannel(v: K3sVersion | string): string {
  const x = typeof v === 'string' ? mustParseVersion(v) : v;
  return `v${x.major}.${x.minor}`;
}

/** How many minors b is ahead of a (negative when behind); majors count as 100 minors. */
export function minorDistance(a: K3sVersion | string, b: K3sVersion | string): number {
  const x = typeof a === 'string' ? mustParseVersion(a) : a;
  const y = typeof b === 'string' ? mustParseVersion(b) : b;
  return (y.major - x.major) * 100 + (y.minor - x.minor);
}

const OPS: Record<string, (c: number) => boolean> = {
  '<': (c) => c < 0,
  lt: (c) => c < 0,
  '<=': (c) => c <= 0,
  le: (c) => c <= 0,
  lte: (c) => c <= 0,
  '>': (c) => c > 0,
  gt: (c) => c > 0,
  '>=': (c) => c >= 0,
  ge: (c) => c >= 0,
  gte: (c) => c >= 0,
  '==': (c) => c === 0,
  '=': (c) => c === 0,
  eq: (c) => c === 0,
  '!=': (c) => c !== 0,
  ne: (c) => c !== 0,
};

export function versionOperator(op: string): ((c: number) => boolean) | undefined {
  return OPS[op];
}
