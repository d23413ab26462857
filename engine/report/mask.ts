// Fan-out to several reporters, with every secret (no_log values, tokens) masked first.
import type { Reporter, RunEvent } from './events.js';

export function maskSecrets(event: RunEvent, secrets: ReadonlySet<string>): RunEvent {
  if (!secrets.size) return event;
  let text = JSON.stringify(event);
  let changed = false;
  for (const s of secrets) {
    if (s.length < 4) continue;
    const enc = JSON.stringify(s).slice(1, -1);
    if (text.includes(enc)) {
      text = text.split(enc).join('********');
      changed = true;
    }
  }
  return changed ? (JSON.parse(text) as RunEvent) : event;
}

/** Plain text (a message, a diagnostic, printed JSON) with every secret replaced, as written or JSON-escaped. */
export function maskText(text: string, secrets: ReadonlySet<string>): string {
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of new Set([s, JSON.stringify(s).slice(1, -1)]))
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
