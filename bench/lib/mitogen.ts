// The Mitogen column: Ansible with Mitogen's `mitogen_linear` strategy (one Python interpreter
// per host kept alive over the ssh connection, the idea herdbook's executor takes without
// Python). Debian packages it as `ansible-mitogen` (Mitogen 0.3.3, patched for ansible-core
// 2.14), which puts the strategy where Debian's ansible finds it; installed with apt-get when
// missing and we are root.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { AnsibleAvailability } from './ansible.js';
import { ensureDebianPackage } from './apt-install.js';

/** The Python that runs ansible-playbook (its shebang): a pyenv python3 on PATH has no ansible. */
function ansiblePython(): string {
  const where = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' }).stdout.trim();
  const first = where ? readFileSync(where, 'utf8').split('\n')[0] : '';
  return /^#!\s*(\S+)/.exec(first)?.[1] ?? '/usr/bin/python3';
}

function version(): string | undefined {
  const r = spawnSync(
    ansiblePython(),
    ['-c', 'import ansible.plugins.strategy.mitogen_linear, mitogen; print(".".join(map(str, mitogen.__version__)))'],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? `Mitogen ${r.stdout.trim()}` : undefined;
}

/** Mitogen's version, installing Debian's ansible-mitogen first when allowed. */
export function ensureMitogen(log: (msg: string) => void): AnsibleAvailability {
  return ensureDebianPackage('ansible-mitogen', version, 'Mitogen', log);
}
