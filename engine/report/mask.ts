// Fan-out to several reporters, with every secret (no_log values, tokens) masked first.
import type { Reporter, RunEvent } from './events.js';

export function maskSecrets(event: RunEvent, secrets: ReadonlySet<string>): RunEvent {
  if (!secrets.size) return event;
  // Inside strings only: a secret such as "true" or "1234" (a vaulted value) must not rewrite
  // the event's own numbers and booleans.
  return maskIn(event, secrets) as RunEvent;
}

function maskIn(v: unknown, secrets: ReadonlySet<string>): unknown {
  if (typeof v === 'string') return maskText(v, secrets, false);
  if (Array.isArray(v)) return v.map((x) => maskIn(x, secrets));
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [maskText(k, secrets, false), maskIn(x, secrets)]));
  return v;
}

/**
 * Text (a message, a diagnostic) with every secret replaced; `escaped` also finds secrets as
 * JSON escapes them, for text that is printed JSON.
 */
export function maskText(text: string, secrets: ReadonlySet<string>, escaped = true): string {
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of new Set(escaped ? [s, JSON.stringify(s).slice(1, -1)] : [s]))
      if (text.includes(form)) text = text.split(form).join('********');
  }
  return text;
}

export function fanOut(reporters: Reporter[], secrets: ReadonlySet<string>): Reporter {
  return {
    emit(event) {
      const safe = maskSecrets(event, secrets);
      for (const r of reporters) r.emit(safe);
    },
    flush() {
      for (const r of reporters) r.flush?.();
    },
    async close() {
      for (const r of reporters) await r.close();
    },
  };
}
