// `herdbook list-hosts`: each play's hosts in batch order, computed exactly as `run` will.
import { UsageError } from '../errors.js';
import { indexGroups } from '../inventory/groups.js';
import { displayPath } from '../report/diagnostics.js';
import { checkLimitMatches, inventoryLevel, limitPatterns, playLevel, resolvePlayHosts } from '../run/resolve-play.js';
import type { CommandIO } from './io.js';
import { loadInput, type InputOptions } from './load-input.js';
import { openVaultSession, withVaultSession } from './vault-options.js';

export async function listHostsCommand(
  playbooks: string[],
  opts: InputOptions & { limit?: string[] },
  io: CommandIO,
): Promise<number> {
  // Hosts need no secrets: inline !vault values stay sealed without a password (see validate).
  return withVaultSession(await openVaultSession(opts, 'given'), () => listHosts(playbooks, opts, io));
}

function listHosts(playbooks: string[], opts: InputOptions & { limit?: string[] }, io: CommandIO): number {
  const v = loadInput(playbooks, opts, io);
  if (!v.inventory) throw new UsageError('list-hosts needs an inventory: -i inventory/lab.ini');
  const idx = indexGroups(v.inventory);
  const limit = limitPatterns(opts.limit);
  checkLimitMatches(limit, v.inventory, idx);
  for (const pb of v.playbooks) {
    io.out(`playbook: ${displayPath(pb.file)}`);
    pb.plays.forEach((play, i) => {
      const level = playLevel(play, v.extraVars, inventoryLevel(v.inventory!, idx, v.playbookVarsFiles.get(pb.file)));
      const r = resolvePlayHosts(play, v.inventory!, idx, { limit, hostsPattern: level.hosts, serial: level.serial });
      const pattern = [level.hosts].flat().join(',');
      // A play without a name is named after its hosts: show them rendered, like the header.
      const title = play.name === [play.hosts].flat().join(',') ? pattern : play.name;
      io.out(
        `\n  play #${i + 1} (${pattern}): ${title}  (${r.hosts.length} host${r.hosts.length === 1 ? '' : 's'}, ${r.batches.length} batch${r.batches.length === 1 ? '' : 'es'})`,
      );
      r.batches.forEach((b, j) => io.out(`    batch ${j + 1}/${r.batches.length}: ${b.join(' ')}`));
      if (!r.hosts.length) io.out('    (no hosts)');
    });
  }
  return 0;
}
