// The real ansible-vault, for tests that hold our Vault data to Ansible's: what it writes we
// read, what we write it reads. Without it those tests skip with one line, unless
// HERDBOOK_REQUIRE_ANSIBLE=1 (CI), where its absence is a failure.
import { spawnSync } from 'node:child_process';
import { describe, it } from 'vitest';

export function ansibleVault(args: string[], opts: { cwd?: string; input?: string } = {}): string {
  const r = spawnSync('ansible-vault', args, {
    cwd: opts.cwd,
    input: opts.input ?? '',
    encoding: 'utf8',
    env: ansibleEnv(),
    timeout: 60_000,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`ansible-vault ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** The environment without the machine's vault settings; tests run in temp dirs, away from any ansible.cfg. */
export function ansibleEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ANSIBLE_LOCALHOST_WARNING: 'false' };
  for (const k of ['ANSIBLE_CONFIG', 'ANSIBLE_VAULT_PASSWORD_FILE', 'ANSIBLE_VAULT_IDENTITY_LIST']) delete env[k];
  return env;
}

function unavailable(): string | undefined {
  const r = spawnSync('ansible-vault', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'ansible-vault is not installed (apt-get install ansible)';
}

/** describe() when ansible-vault runs here; otherwise one line and a skip (or a failure when required). */
export function describeWithAnsibleVault(name: string, body: () => void): void {
  const missing = unavailable();
  if (!missing) return void describe(name, body);
  if (process.env.HERDBOOK_REQUIRE_ANSIBLE === '1')
    return void describe(name, () =>
      it('has ansible-vault (HERDBOOK_REQUIRE_ANSIBLE=1)', () => {
        throw new Error(missing);
      }),
    );
  process.stderr.write(`${name}: skipped, ${missing}\n`);
  describe.skip(name, () => it('runs', () => undefined));
}
