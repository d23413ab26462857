// A play's hosts, ordered and cut into batches, before anything runs: the same answer for
// `list-hosts` and for `run`.
import { readFileSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';
import type { GroupIndex } from '../inventory/groups.js';
import type { Inventory } from '../inventory/model.js';
import { asPattern, HostPatternError, matchPattern, patternProblem, splitPattern } from '../inventory/patterns.js';
import type { Play } from '../load/model.js';
import { computeBatches, orderHosts, SerialError, type Serial } from './batches.js';

import { renderPlayKeywords, type InventoryLevel } from '../inventory/play-level.js';

export { inventoryLevel, playLevelScope, type InventoryLevel } from '../inventory/play-level.js';

export type ResolvedPlay = { hosts: string[]; batches: string[][]; unmatched: string[] };

/** --limit values: patterns, or @file with one host or pattern per line. */
export function limitPatterns(limit: readonly string[] | undefined): string[] | undefined {
  if (!limit?.length) return undefined;
  const patterns = limit.flatMap((l) => {
    if (!l.startsWith('@')) return splitPattern(l).length ? [l] : [];
    try {
      return [
        readFileSync(l.slice(1), 'utf8')
          .split(/\r?\n/)
          .map((s) => s.trim())
          .filter((s) => s && !s.startsWith('#'))
          .join(','),
      ];
    } catch (e) {
      throw new UsageError(`--limit ${l}: cannot read ${l.slice(1)} (${(e as Error).message})`);
    }
  });
  // Before anything runs or is printed: a bad --limit is the command line's fault.
  for (const p of patterns) {
    const why = patternProblem(p);
    if (why) throw new UsageError(`--limit ${p}: ${why}`);
  }
  return patterns;
}

/**
 * A --limit that leaves no host of the inventory is refused before anything runs, as
 * ansible-playbook refuses it ("leaves us with no hosts to target"): a mistyped node name must
 * not look like a successful run that had nothing to do.
 */
export function checkLimitMatches(limit: readonly string[] | undefined, inv: Inventory, idx: GroupIndex): void {
  if (!limit?.length) return;
  if (limit.some((l) => matchPattern(inv, idx, l).hosts.length > 0)) return;
  throw new UsageError(
    `--limit ${limit.join(' --limit ')}: matches no host of the inventory, so nothing would run; ` +
      'list the hosts with `herdbook inventory -i INVENTORY` and give a host, a group or a pattern from it',
  );
}

export function resolvePlayHosts(
  play: Play,
  inv: Inventory,
  idx: GroupIndex,
  opts: { limit?: string[]; hostsPattern?: string | string[]; serial?: Serial; random?: () => number },
): ResolvedPlay {
  return atPlayLine(play, () => {
    const m = matchPattern(inv, idx, asPattern(opts.hostsPattern ?? play.hosts));
    let hosts = m.hosts;
    if (opts.limit?.length) {
      const allowed = new Set(opts.limit.flatMap((l) => matchPattern(inv, idx, l).hosts));
      hosts = hosts.filter((h) => allowed.has(h));
    }
    hosts = orderHosts(hosts, play.order, opts.random);
    return { hosts, batches: computeBatches(hosts, opts.serial ?? (play.serial as Serial)), unmatched: m.unmatched };
  });
}

/**
 * A play's `hosts:` that cannot be matched or a `serial:` that is no batch size (templated ones
 * only show at run time) is an input error at that line, never an internal one.
 */
function atPlayLine<T>(play: Play, compute: () => T): T {
  try {
    return compute();
  } catch (e) {
    if (e instanceof HostPatternError)
      throw new InputError([{ severity: 'error', message: e.message, pos: play.fieldPos.hosts ?? play.pos }]);
    if (e instanceof SerialError)
      throw new InputError([
        {
          severity: 'error',
          message: e.message,
          pos: play.fieldPos.serial ?? play.pos,
          hint: 'a whole number, a percentage such as "30%", or a list of them',
        },
      ]);
    throw e;
  }
}

/** A play's hosts and serial rendered (serial is checked when the batches are computed). */
export function playLevel(
  play: Play,
  extraVars: Record<string, unknown>,
  level?: InventoryLevel,
): { hosts: string | string[]; serial: Serial } {
  const r = renderPlayKeywords(play, extraVars, level);
  return { hosts: r.hosts, serial: r.serial as Serial };
}
