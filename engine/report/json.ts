// --output json: one event per line on stdout, nothing else there (logs go to stderr).
import type { Reporter } from './events.js';

export function jsonReporter(write: (line: string) => void): Reporter {
  return {
    emit(event) {
      write(JSON.stringify(event) + '\n');
    },
    async close() {},
  };
}
