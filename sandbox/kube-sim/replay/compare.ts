// Is an answer the recorded one? The same status, kept headers, and body: the same fields,
// recursively, with the same values except where a value belongs to the run rather than to
// the server's behaviour (uids, resourceVersions, timestamps, generated names, the server's
// build). A message that embeds an object (the patch handler's `Invalid value: "{...}"`,
// transcript 10) has that object compared the same way, since Go's key order is no behaviour.
import type { RecordedResponse } from './transcript.js';
import type { Received } from './client.js';

const VOLATILE_KEYS = new Set([
  'uid',
  'resourceVersion',
  'creationTimestamp',
  'deletionTimestamp',
  'time',
  'lastTransitionTime',
  'lastHeartbeatTime',
  'lastProbeTime',
  'timeAdded',
  'startTime',
  'buildDate',
]);
/** /version: which build answered, not how it behaves. */
const BUILD_KEYS = new Set(['gitVersion', 'gitCommit', 'gitTreeState', 'goVersion', 'platform']);
const GENERATED = [/^kube-api-access-[a-z0-9]{5}$/];

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const SECONDS_TIME = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ/g;
const INVALID_VALUE = /Invalid value: ("(?:[^"\\]|\\.)*")/g;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => JSON.stringify(v)?.slice(0, 200);

/** A message with its embedded objects taken out (to compare apart) and run-specific tokens masked. */
function splitMessage(message: string): { text: string; embedded: unknown[] } {
  const embedded: unknown[] = [];
  const text = message.replace(INVALID_VALUE, (whole, quoted: string) => {
    try {
      const inner = JSON.parse(JSON.parse(quoted) as string) as unknown;
      if (!isObj(inner)) return whole;
      embedded.push(inner);
      return `Invalid value: <object ${embedded.length}>`;
    } catch {
      return whole;
    }
  });
  return { text: text.replace(UUID, '<uid>').replace(SECONDS_TIME, '<time>'), embedded };
}

// managedFields are ordered by their entries' times, which are the run's: compare them as a set.
function managerKey(e: unknown): string {
  const m = isObj(e) ? e : {};
  return JSON.stringify([m.operation, m.manager, m.apiVersion, m.subresource ?? '']);
}

export function compareValues(expected: unknown, actual: unknown, path = '', key = ''): string[] {
  const at = path || '(body)';
  if (isObj(expected)) {
    if (!isObj(actual)) return [`${at}: expected an object, got ${show(actual)}`];
    const out: string[] = [];
    for (const k of Object.keys(expected)) if (!(k in actual)) out.push(`${at}: missing field ${k}`);
    for (const k of Object.keys(actual))
      if (!(k in expected)) out.push(`${at}: unexpected field ${k} = ${show(actual[k])}`);
    for (const k of Object.keys(expected))
      if (k in actual) out.push(...compareValues(expected[k], actual[k], path ? `${path}.${k}` : k, k));
    return out;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${at}: expected a list, got ${show(actual)}`];
    if (actual.length !== expected.length)
      return [`${at}: expected ${expected.length} items, got ${actual.length}: ${show(actual)}`];
    const [e, a]: unknown[][] =
      key === 'managedFields'
        ? [
            [...(expected as unknown[])].sort((x, y) => managerKey(x).localeCompare(managerKey(y))),
            [...(actual as unknown[])].sort((x, y) => managerKey(x).localeCompare(managerKey(y))),
          ]
        : [expected, actual];
    return e.flatMap((item, i) => compareValues(item, a[i], `${path}[${i}]`, key));
  }
  if (typeof expected !== typeof actual) return [`${at}: expected ${show(expected)}, got ${show(actual)}`];
  if (VOLATILE_KEYS.has(key) || BUILD_KEYS.has(key)) return [];
  if (typeof expected === 'string' && GENERATED.some((g) => g.test(expected) && g.test(actual as string))) return [];
  if (key === 'message' && typeof expected === 'string') {
    const e = splitMessage(expected);
    const a = splitMessage(actual as string);
    if (e.text !== a.text || e.embedded.length !== a.embedded.length)
      return [`${at}: expected ${show(expected)}, got ${show(actual)}`];
    return e.embedded.flatMap((x, i) => compareValues(x, a.embedded[i], `${at}<object ${i + 1}>`));
  }
  return expected === actual ? [] : [`${at}: expected ${show(expected)}, got ${show(actual)}`];
}

/** Every way the live answer differs from the recorded one; empty when it matches. */
export function compareResponse(recorded: RecordedResponse, live: Received): string[] {
  const out: string[] = [];
  if (live.status !== recorded.status)
    out.push(`status: expected ${recorded.status}, got ${live.status} (${live.text.slice(0, 300)})`);
  for (const h of new Set([...Object.keys(recorded.headers ?? {}), ...Object.keys(live.headers)])) {
    if (recorded.headers?.[h] !== live.headers[h])
      out.push(`header ${h}: expected ${show(recorded.headers?.[h])}, got ${show(live.headers[h])}`);
  }
  if (recorded.body === undefined) return out;
  return [...out, ...compareValues(recorded.body, live.body)];
}
