// What one tool did with one case, in one shape for both: per host, each task's status (and
// its loop items') keyed by play, task and occurrence; the registered values; the recap in
// Ansible's convention; the files left; the exit status class.

export type Tool = 'ansible' | 'herdbook';

export type TaskStatus = 'ok' | 'changed' | 'failed' | 'skipped' | 'unreachable' | 'ignored' | 'unknown';

export type TaskOutcome = {
  /** `play name | task name #n`: the n-th time this host ran a task of that name in that play. */
  key: string;
  status: TaskStatus;
  /** A loop's items, in order. */
  items?: TaskStatus[];
  /** The registered value (Ansible: the result itself; herdbook: the event's `registered`). */
  registered?: Record<string, unknown>;
};

/** Ansible's recap fields: `ok` counts every ok, changed and ignored result, as Ansible's does. */
export type Recap = {
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
  rescued: number;
  ignored: number;
};

export type FileEntry = { type: 'file' | 'dir' | 'link'; mode: string; owner: string; content?: string };

export type ExitClass = 'ok' | 'host-failure' | 'invalid-input' | 'error';

export type Outcome = {
  tool: Tool;
  code: number | null;
  exit: ExitClass;
  /** host → its task results in the order it ran them. */
  hosts: Map<string, TaskOutcome[]>;
  recap: Record<string, Recap>;
  /** relative path under the run's out directory → what is there. */
  files: Record<string, FileEntry>;
  stderr: string;
  /** The tool's raw machine output, for failure messages. */
  raw: string;
  durationMs: number;
  /** CPU time of the tool and its children, where /usr/bin/time measured it. */
  cpuMs?: number;
};

export const GATHERING = 'Gathering facts';

/** Keys each host's results by play, task and how many times it ran that task before. */
export function keyed(
  list: {
    play: string;
    task: string;
    status: TaskStatus;
    items?: TaskStatus[];
    registered?: Record<string, unknown>;
  }[],
): TaskOutcome[] {
  const seen = new Map<string, number>();
  return list.map((r) => {
    const base = `${r.play} | ${r.task}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return {
      key: `${base} #${n}`,
      status: r.status,
      ...(r.items ? { items: r.items } : {}),
      ...(r.registered ? { registered: r.registered } : {}),
    };
  });
}

/** A value at a dotted path; `results.rc` maps over a list. */
export function pick(value: unknown, dotted: string): unknown {
  const [head, ...rest] = dotted.split('.');
  if (Array.isArray(value) && !/^\d+$/.test(head)) return value.map((v) => pick(v, dotted));
  const next = value && typeof value === 'object' ? (value as Record<string, unknown>)[head] : undefined;
  const v =
    next === undefined &&
    ['changed', 'failed', 'skipped', 'unreachable'].includes(head) &&
    value &&
    typeof value === 'object'
      ? false
      : next;
  return rest.length ? pick(v, rest.join('.')) : v;
}
