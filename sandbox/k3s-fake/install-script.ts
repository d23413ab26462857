// The install script as a release server hands it out: the real defaults (github.com and
// update.k3s.io) replaced by the fake server's URLs, so `curl -sfL $URL/install.sh | sh -`
// behaves like `curl -sfL https://get.k3s.io | sh -` without the internet.
import { readAsset } from './assets.js';

export type InstallScriptUrls = { githubUrl: string; channelUrl: string };

const REAL_GITHUB = 'https://github.com/k3s-io/k3s/releases';
const REAL_CHANNELS = 'https://update.k3s.io/v1-release/channels';

function checkedUrl(url: string): string {
  // The URL lands unquoted in a shell assignment: only plain URL characters.
  if (!/^https?:\/\/[A-Za-z0-9.:[\]/_%-]+$/.test(url)) throw new Error(`unsafe URL for install.sh: ${url}`);
  return url;
}

export async function renderInstallScript(urls?: InstallScriptUrls): Promise<string> {
  const script = await readAsset('install.sh');
  if (!urls) return script;
  const github = `GITHUB_URL=\${GITHUB_URL:-${REAL_GITHUB}}`;
  const channels = `DEFAULT_CHANNEL_URL=${REAL_CHANNELS}`;
  if (!script.includes(github) || !script.includes(channels)) throw new Error('install.sh lost its default URL lines');
  return script
    .replace(github, `GITHUB_URL=\${GITHUB_URL:-${checkedUrl(urls.githubUrl)}}`)
    .replace(channels, `DEFAULT_CHANNEL_URL=${checkedUrl(urls.channelUrl)}`);
}
