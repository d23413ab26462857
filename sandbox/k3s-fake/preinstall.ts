// Give a node an already-installed k3s, the way an operator's first install left it: the fake
// binary of `version` put in place, then the install script run on the node with
// INSTALL_K3S_SKIP_DOWNLOAD=true, so unit, env file, uninstall scripts and the first start are
// exactly what install.sh makes. Needs the node's fake systemctl (the fleet installs it).
import { access } from 'node:fs/promises';
import path from 'node:path';
import { renderInstallScript } from './install-script.js';
import { writeFakeK3sBinary, type K3sRole } from './node-files.js';
import { runInNodeRoot, type RunResult } from './node-root.js';

export type PreinstallOptions = {
  version: string;
  role?: K3sRole;
  /** Flags after the role, as separate words (`['--cluster-init', '--node-label', 'a=b']`). */
  args?: readonly string[];
  /** K3S_URL, K3S_TOKEN, INSTALL_K3S_* ... as the operator's install had them. */
  env?: Record<string, string>;
};

export async function preinstallK3s(nodeRoot: string, opts: PreinstallOptions): Promise<RunResult> {
  const systemctl = path.join(nodeRoot, 'usr/local/bin/systemctl');
  try {
    await access(systemctl);
  } catch {
    throw new Error(`preinstallK3s: ${systemctl} is missing; install the fleet's fake systemctl on the node first`);
  }
  await writeFakeK3sBinary(nodeRoot, opts.version);
  const script = await renderInstallScript();
  const argv = ['sh', '-s', '-', opts.role ?? 'server', ...(opts.args ?? [])];
  const env = { ...opts.env, INSTALL_K3S_SKIP_DOWNLOAD: 'true' };
  const result = await runInNodeRoot(nodeRoot, argv, { env, input: script });
  if (result.code !== 0) {
    throw new Error(
      `preinstallK3s ${opts.version} on ${nodeRoot} failed (${result.code}):\n${result.stdout}${result.stderr}`,
    );
  }
  return result;
}
