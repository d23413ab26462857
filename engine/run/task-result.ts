// One host's result for one task (or one loop item), and the value `register` stores.
import type { FileDiff } from '../module.js';
import type { Status } from '../report/events.js';

export type HostResult = {
  status: Status;
  msg?: string;
  /** Registered fields: rc, stdout, facts, ... */
  data: Record<string, unknown>;
  changes?: string[];
  diff?: FileDiff[];
  /** Failed, but ignore_errors (or ignore_unreachable) said to carry on. */
  ignored?: boolean;
  items?: ItemResult[];
  attempts?: number;
  /** Set by set_fact / include_vars: variables to store on the host. */
  facts?: Record<string, unknown>;
  /** meta: a run-control action for the engine. */
  meta?: string;
  delegatedTo?: string;
};

export type ItemResult = HostResult & { item: unknown; label: string };

/** The value `register:` stores: every field present, whatever the status (ansible#31113). */
export function registeredValue(r: HostResult): Record<string, unknown> {
  const base: Record<string, unknown> = {
    changed: r.status === 'changed',
    failed: r.status === 'failed' || r.status === 'unreachable',
    skipped: r.status === 'skipped',
    unreachable: r.status === 'unreachable',
    unknown: r.status === 'unknown',
    msg: r.msg ?? '',
    ...r.data,
  };
  if (r.attempts !== undefined) base.attempts = r.attempts;
  if (r.items) {
    base.results = r.items.map((i) => ({ ...registeredValue(i), item: i.item }));
    base.msg = r.msg ?? (r.items.every((i) => i.status === 'skipped') ? 'All items skipped' : 'All items completed');
  }
  return base;
}

/** Combine loop items into the task's result: failed if any failed, changed if any changed. */
export function combineItems(items: ItemResult[]): HostResult {
  const has = (s: string) => items.some((i) => i.status === s);
  const status = has('failed') ? 'failed' : has('unreachable') ? 'unreachable' : has('changed') ? 'changed' : has('unknown') ? 'unknown' : items.length && items.every((i) => i.status === 'skipped') ? 'skipped' : 'ok';
  const failed = items.find((i) => i.status === 'failed' || i.status === 'unreachable');
  return {
    status,
    msg: failed ? `item ${failed.label}: ${failed.msg ?? 'failed'}` : undefined,
    data: {},
    items,
    changes: items.flatMap((i) => (i.changes ?? []).map((c) => `${i.label}: ${c}`)),
    diff: items.flatMap((i) => i.diff ?? []),
    facts: Object.fromEntries(items.flatMap((i) => Object.entries(i.facts ?? {}))),
  };
}
