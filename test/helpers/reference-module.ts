// An Ansible module run as Ansible runs it on a host, without a playbook: Debian's python3 with the
// module file and its arguments (ANSIBLE_MODULE_ARGS on stdin, as AnsibleModule reads them), so
// a test can hold herdbook's result to the reference's on the same host, one task at a time,
// at a fraction of ansible-playbook's cost. Missing (no Debian ansible): undefined, and the test
// skips, unless HERDBOOK_REQUIRE_ANSIBLE=1 (CI).
import { existsSync } from 'node:fs';
import type { Connection } from '../../engine/connection/types.js';

// Debian's ansible lives in /usr/bin/python3's dist-packages (ansible-playbook's shebang); a
// python3 earlier on PATH (pyenv) has no ansible.
const PYTHON = '/usr/bin/python3';
const COLLECTIONS = '/usr/lib/python3/dist-packages/ansible_collections';

export type ReferenceResult = { changed: boolean; failed: boolean; msg?: string } & Record<string, unknown>;

/** The module's file, or undefined when Debian's ansible is not installed. */
export function referenceModule(collection: string, name: string): string | undefined {
  const file = `${COLLECTIONS}/${collection.replace('.', '/')}/plugins/modules/${name}.py`;
  return existsSync(PYTHON) && existsSync(file) ? file : undefined;
}

/** One run of the module through `conn` (check mode as `_ansible_check_mode`); its JSON result. */
export async function runReference(
  conn: Connection,
  file: string,
  args: Record<string, unknown>,
  check = false,
): Promise<ReferenceResult> {
  const input = JSON.stringify({ ANSIBLE_MODULE_ARGS: { ...args, _ansible_check_mode: check } });
  const r = await conn.exec([PYTHON, file], { stdin: input, env: { LANG: 'C', LC_ALL: 'C' } });
  // fail_json exits 1 with its JSON on stdout; anything else unparsable is the harness's problem.
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  try {
    const out = JSON.parse(json) as ReferenceResult;
    return { ...out, changed: !!out.changed, failed: !!out.failed };
  } catch {
    throw new Error(`${file} exited ${r.rc}: ${r.stdout}${r.stderr}`);
  }
}
