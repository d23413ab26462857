import type { CommandIO } from './io.js';
import { countTasks, loadInput, type InputOptions } from './load-input.js';
import { openVaultSession, withVaultSession } from './vault-options.js';

// Like ansible-playbook --syntax-check: inline !vault values need no password (they stay
// sealed); whole encrypted files, which must be parsed, do. A password given is checked.
export async function validateCommand(playbooks: string[], opts: InputOptions, io: CommandIO): Promise<number> {
  return withVaultSession(await openVaultSession(opts, 'given'), () => validate(playbooks, opts, io));
}

function validate(playbooks: string[], opts: InputOptions, io: CommandIO): number {
  const v = loadInput(playbooks, opts, io);
  const plays = v.playbooks.reduce((n, p) => n + p.plays.length, 0);
  const files = new Set(v.playbooks.flatMap((p) => p.files)).size;
  io.out(
    `ok: ${playbooks.length} playbook${playbooks.length === 1 ? '' : 's'}, ${plays} play${plays === 1 ? '' : 's'}, ${countTasks(v)} tasks in ${files} file${files === 1 ? '' : 's'}${v.inventory ? `, inventory with ${v.inventory.hosts.size} hosts` : ''}${v.warnings.length ? ` (${v.warnings.length} warning${v.warnings.length === 1 ? '' : 's'})` : ''}`,
  );
  return 0;
}
