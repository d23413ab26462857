// A throwaway directory with an inventory of `connection: local` hosts and a playbook of
// identical command tasks: the input the local benchmarks run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';

export type BenchWorkspace = { dir: string; inventory: string; playbook: string; remove(): void };

export function localWorkspace(opts: { hosts: number; tasks: number; command: string[] }): BenchWorkspace {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'herdbook-bench-'));
  const names = Array.from({ length: opts.hosts }, (_, i) => `local-${String(i + 1).padStart(2, '0')}`);
  const inventory = path.join(dir, 'inventory.yaml');
  writeFileSync(
    inventory,
    stringify({
      all: { vars: { ansible_connection: 'local' }, hosts: Object.fromEntries(names.map((n) => [n, null])) },
    }),
  );
  const playbook = path.join(dir, 'bench.yaml');
  const tasks = Array.from({ length: opts.tasks }, (_, i) => ({
    name: `task ${i + 1}`,
    command: { argv: opts.command },
  }));
  writeFileSync(playbook, stringify([{ name: 'bench', hosts: 'all', tasks }]));
  return { dir, inventory, playbook, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
