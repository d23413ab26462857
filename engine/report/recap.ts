// The recap table at the end of a run: per host counts, the total time, why it stopped,
// and the nodes it left cordoned.
import type { Paint } from './diagnostics.js';
import type { HostCounts, RunEvent } from './events.js';

const COLS: (keyof HostCounts)[] = ['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'];

export function formatRecap(e: Extract<RunEvent, { type: 'recap' }>, paint: Paint): string {
  const hosts = Object.keys(e.hosts);
  const width = Math.max(4, ...hosts.map((h) => h.length));
  const showUnknown = hosts.some((h) => e.hosts[h].unknown > 0);
  const cols = showUnknown ? [...COLS, 'unknown' as const] : COLS;
  const out: string[] = [];
  out.push(
    paint.bold(`RECAP${e.check ? '  (DRY RUN: nothing was changed)' : ''}  ${(e.duration_ms / 1000).toFixed(1)}s`),
  );
  out.push(`${'host'.padEnd(width)}  ${cols.map((c) => c.padStart(Math.max(c.length, 3))).join('  ')}`);
  for (const h of hosts) {
    const c = e.hosts[h];
    const line = `${h.padEnd(width)}  ${cols.map((k) => String(c[k]).padStart(Math.max(k.length, 3))).join('  ')}`;
    out.push(c.failed || c.unreachable ? paint.red(line) : c.changed ? paint.yellow(line) : line);
  }
  if (e.check && e.changes_pending !== undefined)
    out.push(
      e.changes_pending ? paint.yellow('changes pending: a real run would change something') : 'no changes pending',
    );
  if (e.stopped_reason) out.push(paint.red(`STOPPED: ${e.stopped_reason}`));
  if (e.cordoned?.length) {
    out.push(
      paint.red(
        `nodes left cordoned by this run (uncordon them when safe: herdbook run playbooks/... or kubectl uncordon):`,
      ),
    );
    for (const c of e.cordoned) out.push(paint.red(`  ${c.node}: ${c.reason}`));
  }
  return out.join('\n');
}
