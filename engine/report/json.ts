// --output json: one event per line on stdout, nothing else there (logs go to stderr).
// Lines are gathered for one turn of the event loop and written together: a write per event
// was a system call per host and task (stdout is synchronous for pipes on Linux).
import type { Reporter } from './events.js';

export function jsonReporter(write: (text: string) => void): Reporter {
  let pending: string[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    if (!pending.length) return;
    const text = pending.join('');
    pending = [];
    write(text);
  };
  return {
    emit(event) {
      pending.push(JSON.stringify(event) + '\n');
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
    async close() {
      flush();
    },
  };
}
