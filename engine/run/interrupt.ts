// Ctrl-C: the first stops new work (running commands finish or time out, the recap is
// printed, exit 130); a second aborts at once.
import type { RunState } from './context.js';

export function handleInterrupts(state: RunState, onFirst: () => void, onSecond: () => void): () => void {
  let count = 0;
  const handler = () => {
    count++;
    if (count === 1) {
      state.interrupted = true;
      onFirst();
    } else {
      state.abort.abort();
      onSecond();
    }
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}
