// Ansible's outcome against herdbook's: every (host, task) status and loop item, the named
// registered fields, the files, the recap, the exit class. A difference is expected only when
// the case declares it with a line of README's "What differs from Ansible"; a declaration
// that matches nothing is stale and fails too.
import { isDeepStrictEqual } from 'node:util';
import { fold, type CaseSpec, type Declared } from './case.js';
import { pick, type Outcome, type TaskOutcome } from './outcome.js';

export type Difference = {
  what: Declared['what'];
  host?: string;
  task?: string;
  field?: string;
  ansible: unknown;
  herdbook: unknown;
};

export type Comparison = {
  /** (host, task) pairs seen by either tool. */
  pairs: number;
  /** Pairs whose status, items and named registered fields agree. */
  equalPairs: number;
  expected: Difference[];
  unexpected: Difference[];
  /** Declarations that match no difference, or whose README line is not in README. */
  stale: string[];
};

const ABSENT = '(absent)';

/** The task name in a key `play | task #n`. */
export function taskOf(key: string): string {
  return key.replace(/^.*? \| /, '').replace(/ #\d+$/, '');
}

export function compare(
  c: Pick<CaseSpec, 'registered' | 'differences'>,
  a: Outcome,
  h: Outcome,
  readme: string,
): Comparison {
  const diffs: Difference[] = [];
  let pairs = 0;
  let equalPairs = 0;
  const hosts = [...new Set([...a.hosts.keys(), ...h.hosts.keys()])].sort();
  for (const host of hosts) {
    const am = byKey(a.hosts.get(host));
    const hm = byKey(h.hosts.get(host));
    for (const key of [...new Set([...am.keys(), ...hm.keys()])]) {
      pairs++;
      const x = am.get(key);
      const y = hm.get(key);
      const before = diffs.length;
      if (x?.status !== y?.status)
        diffs.push({ what: 'status', host, task: key, ansible: x?.status ?? ABSENT, herdbook: y?.status ?? ABSENT });
      if (x && y && (x.items || y.items) && !isDeepStrictEqual(x.items, y.items))
        diffs.push({ what: 'items', host, task: key, ansible: x.items ?? ABSENT, herdbook: y.items ?? ABSENT });
      for (const field of c.registered[taskOf(key)] ?? []) {
        if (!x || !y) continue;
        const va = x.registered === undefined ? ABSENT : pick(x.registered, field);
        const vh = y.registered === undefined ? ABSENT : pick(y.registered, field);
        if (!isDeepStrictEqual(va, vh))
          diffs.push({ what: 'registered', host, task: key, field, ansible: va, herdbook: vh });
      }
      if (diffs.length === before) equalPairs++;
    }
  }
  // The order each host ran its tasks in (handlers in definition order, sections, includes);
  // tasks only one tool ran were reported above.
  for (const host of hosts) {
    const ka = (a.hosts.get(host) ?? []).map((t) => t.key);
    const kh = (h.hosts.get(host) ?? []).map((t) => t.key);
    const both = new Set(ka.filter((k) => kh.includes(k)));
    const sa = ka.filter((k) => both.has(k));
    const sh = kh.filter((k) => both.has(k));
    if (!isDeepStrictEqual(sa, sh)) diffs.push({ what: 'order', host, ansible: sa, herdbook: sh });
  }
  for (const p of [...new Set([...Object.keys(a.files), ...Object.keys(h.files)])].sort()) {
    if (!isDeepStrictEqual(a.files[p], h.files[p]))
      diffs.push({ what: 'file', field: p, ansible: a.files[p] ?? ABSENT, herdbook: h.files[p] ?? ABSENT });
  }
  for (const host of [...new Set([...Object.keys(a.recap), ...Object.keys(h.recap)])].sort()) {
    const x = a.recap[host];
    const y = h.recap[host];
    if (!x || !y) {
      diffs.push({ what: 'recap', host, ansible: x ?? ABSENT, herdbook: y ?? ABSENT });
      continue;
    }
    for (const f of Object.keys(x) as (keyof typeof x)[])
      if (x[f] !== y[f]) diffs.push({ what: 'recap', host, field: f, ansible: x[f], herdbook: y[f] });
  }
  if (a.exit !== h.exit)
    diffs.push({
      what: 'exit',
      field: `ansible exit ${a.code}, herdbook exit ${h.code}`,
      ansible: a.exit,
      herdbook: h.exit,
    });

  const section = readme;
  const used = new Set<Declared>();
  const expected: Difference[] = [];
  const unexpected: Difference[] = [];
  for (const d of diffs) {
    const decl = c.differences.find((x) => matches(x, d));
    if (decl) {
      used.add(decl);
      expected.push(d);
    } else unexpected.push(d);
  }
  const stale = c.differences.flatMap((d) => {
    const out: string[] = [];
    if (!used.has(d))
      out.push(`declared difference did not occur: ${JSON.stringify(d)}${d.task ? reportedAt(d.task, a, h) : ''}`);
    if (!d.readme || !section.includes(fold(d.readme)))
      out.push(
        `declared difference cites a line that is not in README's "What differs from Ansible": ${JSON.stringify(d.readme)}`,
      );
    return out;
  });
  return { pairs, equalPairs, expected, unexpected, stale };
}

/**
 * What each tool reported at a task (status and message per host): a declaration that stops
 * matching on another machine then says which side changed, in CI's log.
 */
function reportedAt(task: string, a: Outcome, h: Outcome): string {
  const said = (o: Outcome) =>
    [...o.hosts]
      .flatMap(([host, list]) =>
        list
          .filter((t) => t.key === task || taskOf(t.key) === task)
          .map((t) => `${host} ${t.status}${t.registered?.msg ? ` (${JSON.stringify(t.registered.msg)})` : ''}`),
      )
      .join(', ') || ABSENT;
  return `\n  ansible reported: ${said(a)}\n  herdbook reported: ${said(h)}`;
}

function byKey(list: TaskOutcome[] | undefined): Map<string, TaskOutcome> {
  return new Map((list ?? []).map((t) => [t.key, t]));
}

function matches(decl: Declared, d: Difference): boolean {
  if (decl.what !== d.what) return false;
  if (decl.host !== undefined && decl.host !== d.host) return false;
  if (decl.task !== undefined && (d.task === undefined || (decl.task !== d.task && decl.task !== taskOf(d.task))))
    return false;
  if (decl.field !== undefined && d.what !== 'exit' && decl.field !== d.field) return false;
  if (decl.ansible !== undefined && !isDeepStrictEqual(decl.ansible, d.ansible)) return false;
  if (decl.herdbook !== undefined && !isDeepStrictEqual(decl.herdbook, d.herdbook)) return false;
  return true;
}

/** One line per difference, for a failing test's message. */
export function describeDifferences(list: Difference[]): string {
  return list
    .map(
      (d) =>
        `${d.what}${d.host ? ` ${d.host}` : ''}${d.task ? ` [${d.task}]` : ''}${d.field ? ` ${d.field}` : ''}: ansible ${JSON.stringify(d.ansible)}, herdbook ${JSON.stringify(d.herdbook)}`,
    )
    .join('\n');
}
