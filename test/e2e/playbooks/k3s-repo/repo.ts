// The k3s repository fixture (test/fixtures/convert/k3s-repo) made to run on the sandbox: its
// inventory's hosts become the sandbox's nodes, and get.k3s.io the sandbox's release server (no
// network here). Everything else is the repository as written, for both tools.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fleetPaths } from '../../../../sandbox/fleet/index.js';
import { herdbook, ROOT } from '../../helpers.js';
import type { Sandbox } from '../sandbox.js';

export const FIXTURE = path.join(ROOT, 'test/fixtures/convert/k3s-repo');

/** Replaces `from` by `to` exactly `times` times, or throws: the fixture changed under the test. */
function replaceExactly(text: string, from: string, to: string, times = 1): string {
  const parts = text.split(from);
  if (parts.length - 1 !== times)
    throw new Error(`expected ${times} × ${JSON.stringify(from)}, found ${parts.length - 1}`);
  return parts.join(to);
}

function edit(file: string, ...changes: [string, string, number?][]): void {
  let text = readFileSync(file, 'utf8');
  for (const [from, to, times] of changes) text = replaceExactly(text, from, to, times);
  writeFileSync(file, text);
}

/** The fixture copied to `<dir>/original`, pointed at the sandbox; returns that directory. */
export function originalFor(sb: Sandbox, dir: string): string {
  const repo = path.join(dir, 'original');
  cpSync(FIXTURE, repo, { recursive: true });
  const install = ['https://get.k3s.io/', sb.state.release.installScriptUrl] as [string, string];
  edit(path.join(repo, 'roles/server/tasks/main.yml'), install);
  edit(path.join(repo, 'roles/agent/tasks/main.yml'), install);
  const hosts = (role: string) =>
    sb.state.nodes
      .filter((n) => n.role === role)
      .map((n) => `        ${n.name}:\n          ansible_host: 127.0.0.1\n          ansible_port: ${n.port}\n`)
      .join('');
  const fleet = fleetPaths(path.join(sb.state.stateDir, 'fleet'));
  edit(
    path.join(repo, 'inventory/hosts.yml'),
    ['        10.0.0.11:\n        10.0.0.12:\n        10.0.0.13:\n', hosts('server')],
    ['        10.0.0.21:\n        10.0.0.22:\n', hosts('agent')],
    // A login user with passwordless sudo, as the repository's `debian` with become.
    ['    ansible_user: debian\n', '    ansible_user: hb-nopasswd\n'],
    // A release the sandbox's release server has.
    ['    k3s_version: v1.30.2+k3s1\n', `    k3s_version: ${sb.state.version}\n`],
    [
      '    extra_agent_args: ""\n',
      '    extra_agent_args: ""\n' +
        `    ansible_ssh_private_key_file: ${fleet.clientKey}\n` +
        // herdbook's name for it; Ansible reads UserKnownHostsFile from ANSIBLE_SSH_ARGS.
        `    ansible_ssh_known_hosts_file: ${fleet.knownHosts}\n`,
    ],
  );
  return repo;
}

/** `herdbook convert site.yml -i inventory/hosts.yml --out <dir>/converted`: its summary line and the output. */
export async function convertRepo(original: string, dir: string): Promise<{ summary: string; repo: string }> {
  const repo = path.join(dir, 'converted');
  const r = await herdbook(['convert', 'site.yml', '-i', 'inventory/hosts.yml', '--out', repo], { cwd: original });
  const summary = r.stdout.trim().split('\n').pop() ?? '';
  if (![0, 2].includes(r.code ?? -1)) throw new Error(`herdbook convert failed (${r.code}):\n${r.stderr}${r.stdout}`);
  return { summary, repo };
}
