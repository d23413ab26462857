// One host's result for one task (or one loop item), and the value `register` stores.
import type { FileDiff } from '../module.js';
import type { Status } from '../report/events.js';

export type HostResult = {
  status: Status;
  /** Whether the task changed something when that is not what the status says: a failed command ran (Ansible registers changed: true). */
  changed?: boolean;
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
  /** Set by fact modules (service_facts, package_facts): host facts, as gather_facts' are. */
  gathered?: Record<string, unknown>;
  /** meta: a run-control action for the engine. */
  meta?: string;
  delegatedTo?: string;
};

export type ItemResult = HostResult & {
  item: unknown;
  label: string;
  /** What Ansible registers with each item: the loop variable by its name, ansible_loop_var, the index variable. */
  loopVars?: Record<string, unknown>;
};

/** The value `register:` stores: every field present, whatever the status (ansible#31113). */
export function registeredValue(r: HostResult): Record<string, unknown> {
  const base: Record<string, unknown> = {
    changed: r.changed ?? r.status === 'changed',
    failed: r.status === 'failed' || r.status === 'unreachable',
    skipped: r.status === 'skipped',
    unreachable: r.status === 'unreachable',
    unknown: r.status === 'unknown',
    msg: r.msg ?? '',
    ...r.data,
  };
  if (r.attempts !== undefined) base.attempts = r.attempts;
  if (r.items) {
    base.results = r.items.map((i) => ({ ...registeredValue(i), ...(i.loopVars ?? { item: i.item }) }));
    base.msg = r.msg ?? (r.items.every((i) => i.status === 'skipped') ? 'All items skipped' : 'All items completed');
  }
  return base;
}

/** Combine loop items into the task's result: failed if any failed, changed if any changed. */
export function combineItems(items: ItemResult[]): HostResult {
  const has = (s: string) => items.some((i) => i.status === s);
  // An empty loop is skipped, as in Ansible ("No items in the list").
  const status = has('failed')
    ? 'failed'
    : has('unreachable')
      ? 'unreachable'
      : has('changed')
        ? 'changed'
        : has('unknown')
          ? 'unknown'
          : items.every((i) => i.status === 'skipped')
            ? 'skipped'
            : 'ok';
  const failed = items.find((i) => i.status === 'failed' || i.status === 'unreachable');
  return {
    status,
    // Ansible: a loop changed when any item did, a failed one included.
    changed: items.some((i) => i.changed ?? i.status === 'changed'),
    msg: failed ? `item ${failed.label}: ${failed.msg ?? 'failed'}` : items.length ? undefined : 'No items in the list',
    data: items.length ? {} : { skipped_reason: 'No items in the list' },
    items,
    changes: items.flatMap((i) => (i.changes ?? []).map((c) => `${i.label}: ${c}`)),
    diff: items.flatMap((i) => i.diff ?? []),
    facts: Object.fromEntries(items.flatMap((i) => Object.entries(i.facts ?? {}))),
    gathered: Object.fromEntries(items.flatMap((i) => Object.entries(i.gathered ?? {}))),
  };
}
