// The assets of one GitHub release: the binary under each architecture's name (the fake is a
// shell script, so every architecture gets the same bytes) and the sha256sum-<arch>.txt files.
import { sha256Hex } from './binary.js';

/** asset name of the binary per architecture, as install.sh asks for them (k3s${SUFFIX}). */
export const BINARY_NAMES: Record<string, string> = {
  amd64: 'k3s',
  arm64: 'k3s-arm64',
  arm: 'k3s-armhf',
  s390x: 'k3s-s390x',
};

export function sha256sumFile(arch: string, binary: Buffer): string {
  const name = BINARY_NAMES[arch];
  const images = sha256Hex(`airgap images ${arch}`);
  return `${sha256Hex(binary)}  ${name}\n${images}  k3s-airgap-images-${arch}.tar\n`;
}

/** The asset called `name` for this release's binary, or undefined. */
export function releaseAsset(name: string, binary: Buffer): Buffer | string | undefined {
  if (Object.values(BINARY_NAMES).includes(name)) return binary;
  const sums = /^sha256sum-([a-z0-9]+)\.txt$/.exec(name);
  if (sums && BINARY_NAMES[sums[1]]) return sha256sumFile(sums[1], binary);
  return undefined;
}
