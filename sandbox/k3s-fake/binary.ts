// "Building" a fake k3s release: the script with its version baked in, so each release has its
// own bytes and sha256, and `k3s --version` answers like the real binary.
import { createHash } from 'node:crypto';
import { readAsset } from './assets.js';
import { parseK3sTag } from './versions.js';

export type BinaryOptions = { goVersion?: string; commit?: string };

export const DEFAULT_GO_VERSION = 'go1.22.8';

/** A stable 8-hex "git commit" per version, like the `(ae4df311)` of the real banner. */
export function fakeK3sCommit(version: string): string {
  return createHash('sha256').update(`k3s ${version}`).digest('hex').slice(0, 8);
}

export async function buildFakeK3sBinary(version: string, opts: BinaryOptions = {}): Promise<Buffer> {
  parseK3sTag(version);
  const goVersion = opts.goVersion ?? DEFAULT_GO_VERSION;
  const commit = opts.commit ?? fakeK3sCommit(version);
  // The values land inside single quotes of a shell script: keep them to safe characters.
  if (!/^go[0-9.]+$/.test(goVersion)) throw new Error(`bad go version ${JSON.stringify(goVersion)}`);
  if (!/^[0-9a-f]{8}$/.test(commit)) throw new Error(`bad commit ${JSON.stringify(commit)} (8 hex digits)`);
  const script = (await readAsset('k3s.sh'))
    .replace("'@@K3S_VERSION@@'", `'${version}'`)
    .replace("'@@K3S_COMMIT@@'", `'${commit}'`)
    .replace("'@@K3S_GO_VERSION@@'", `'${goVersion}'`);
  return Buffer.from(script, 'utf8');
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}
