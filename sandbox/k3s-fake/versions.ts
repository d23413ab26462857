// k3s release tags (v1.31.4+k3s1, v1.32.0-rc1+k3s1): parsing and ordering. semver alone ignores
// build metadata, so +k3s2 would tie with +k3s1; the k3s revision breaks the tie.
import semver from 'semver';

export type K3sTag = { tag: string; minor: string; core: string; prerelease: boolean; revision: number };

const TAG = /^v(\d+)\.(\d+)\.(\d+)(-[0-9A-Za-z.-]+)?\+k3s(\d+)$/;

export function parseK3sTag(tag: string): K3sTag {
  const m = TAG.exec(tag);
  if (!m) throw new Error(`not a k3s release tag: ${JSON.stringify(tag)} (want e.g. v1.31.4+k3s1)`);
  return {
    tag,
    minor: `v${m[1]}.${m[2]}`,
    core: `${m[1]}.${m[2]}.${m[3]}${m[4] ?? ''}`,
    prerelease: m[4] !== undefined,
    revision: Number(m[5]),
  };
}

export function compareK3sTags(a: string, b: string): number {
  const pa = parseK3sTag(a);
  const pb = parseK3sTag(b);
  return semver.compare(pa.core, pb.core) || pa.revision - pb.revision;
}

/** The highest of `tags`, or undefined for an empty list. */
export function highestTag(tags: readonly string[]): string | undefined {
  return [...tags].sort(compareK3sTags).at(-1);
}
